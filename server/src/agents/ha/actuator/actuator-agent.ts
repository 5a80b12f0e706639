// ha_actuator: the acting end of a reactive rule, one per automation (seed §9). It listens to its
// topics; a message that passes the detection_filter, the cooldown and the live conditions makes
// it call its Home Assistant services in order, and every call is published on
// agents/{id}/actuations. It never acts blind: with Home Assistant unreachable it does nothing and
// says why (no fail-open), and a sensitive action without the user's confirmation is refused.
// With `for_seconds` a passing message only starts a hold (hold.ts): the rule is evaluated once
// the state has held that long, checked again in Home Assistant, across restarts.
import { Actor } from '../../../core/actor.ts';
import type { TimerHandle } from '../../../core/clock.ts';
import type { Message } from '../../../core/messages.ts';
import type { HaClient } from '../../../ha/client.ts';
import type { HaActuatorSpawn } from '../../spawn-config/config-schema.ts';
import { checkConditions, conditionResults, type ConditionCheck } from '../conditions.ts';
import { filterClauses, matchesFilter } from '../filter.ts';
import { sensitiveActions } from '../sensitive.ts';
import { entitiesOf, runActions, serviceName, unreachableReason, type ActionOutcome, type ChatNotify } from '../service-calls.ts';
import { isDeviceNamespace, notAllowedReason } from '../../../bus/external-reads.ts';
import { qualifyTopic } from '../topics.ts';
import { actionAnswer, TraceBuilder, traceMessage, type TraceSink } from '../trace.ts';
import { currentStatePayload, entityOf, holdingFilter, holdsFingerprint, HOLDS_KEY, readHolds, type Hold } from './hold.ts';
import type { z } from 'zod';

export type HaActuatorConfig = z.infer<typeof HaActuatorSpawn>;

export interface HaActuatorDeps {
  ha: HaClient;
  /** The user confirmed this rule's sensitive actions (see confirmation.ts). */
  sensitiveConfirmed: boolean;
  callTimeoutMs?: number;
  /** Where evaluations are traced (the planner's recorder); absent: not traced. */
  traces?: TraceSink | undefined;
  /** Delivers notify.chat_channel actions (the chat channels). */
  chat?: ChatNotify | undefined;
}

export interface ActuatorStats {
  triggers: number;
  filtered: number;
  cooledDown: number;
  conditionsUnmet: number;
  unreachable: number;
  refused: number;
  runs: number;
  failures: number;
  lastRunAt: number | null;
  lastSkip: string | null;
}

/** Outcomes other than acting, as published on agents/{id}/actuations. */
type Skip = 'ha_unreachable' | 'refused_sensitive';

/** Long holds are waited in pieces (timers past ~24.8 days overflow; a wall-clock jump is caught). */
const MAX_WAIT_MS = 60 * 60_000;
/** A hold due while Home Assistant's states cannot be read is checked again this often. */
export const HOLD_RECHECK_MS = 30_000;

export class HaActuatorAgent extends Actor {
  readonly config: HaActuatorConfig;
  #deps: HaActuatorDeps;
  #lastRun: number | undefined;
  #stats: ActuatorStats = { triggers: 0, filtered: 0, cooledDown: 0, conditionsUnmet: 0, unreachable: 0, refused: 0, runs: 0, failures: 0, lastRunAt: null, lastSkip: null };
  /** for_seconds: the holds by entity (or topic), and their deadline timers. */
  readonly #holds = new Map<string, Hold>();
  readonly #holdTimers = new Map<string, TimerHandle>();

  constructor(config: HaActuatorConfig, deps: HaActuatorDeps) {
    super({ name: config.name, kind: 'ha_actuator' });
    this.config = config;
    this.#deps = deps;
  }

  get stats(): Readonly<ActuatorStats> {
    return this.#stats;
  }

  protected override onStart(): void {
    const bus = this.bus;
    if (bus === undefined) throw new Error(`${this.name}: an ha_actuator needs the MQTT bus to hear its triggers`);
    for (const topic of this.config.mqtt_topics) {
      const full = qualifyTopic(bus.root, topic, bus.externalReads);
      // "zigbee2mqtt/door" the owner did not allow would quietly listen under the root, where nothing arrives.
      if (full !== topic && isDeviceNamespace(bus.externalReads, topic)) throw new Error(`${this.name}: cannot listen on "${topic}": ${notAllowedReason(bus.externalReads)}`);
      this.subscribe(full);
    }
    if (this.config.for_seconds !== undefined) this.#restoreHolds();
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'event':
        return this.#onTrigger(msg.topic, msg.payload);
      case 'command':
        return msg.command === 'status' ? this.#status() : undefined;
      case 'task':
        return isStatusRequest(msg.payload) ? this.#status() : undefined;
      case 'result':
      case 'error':
      case 'heartbeat':
        return undefined;
    }
  }

  async #onTrigger(topic: string, payload: unknown): Promise<void> {
    this.#stats.triggers++;
    const { config } = this;
    const sink = this.#deps.traces;
    // Built only for a rule's agent: an untraced actuator pays one lookup per message.
    const t = sink?.wants(this.name) ? new TraceBuilder(this.clock, { agent: this.name, kind: 'trigger', topic, message: traceMessage(payload) }) : undefined;
    let matched: boolean;
    if (t) {
      const clauses = filterClauses(config.detection_filter, payload);
      for (const c of clauses) t.step('filter', c.path, c.ok, `${c.actual === undefined ? 'missing' : JSON.stringify(c.actual)}, wanted ${JSON.stringify(c.wanted)}`);
      matched = clauses.every((c) => c.ok);
    } else matched = matchesFilter(config.detection_filter, payload);
    if (config.for_seconds !== undefined) return this.#onHeldTrigger(topic, payload, matched, t);
    if (!matched) {
      this.#stats.filtered++;
      return t?.done(sink!, 'filtered');
    }
    return this.#evaluate(topic, t);
  }

  /** After the filter (and, with for_seconds, the hold): cooldown, HA reachable, conditions, sensitive, act. */
  async #evaluate(topic: string, t: TraceBuilder | undefined): Promise<void> {
    const { config } = this;
    const sink = this.#deps.traces;
    const now = this.clock.now();
    if (this.#lastRun !== undefined && now - this.#lastRun < config.cooldown_seconds * 1000) {
      this.#stats.cooledDown++;
      this.#stats.lastSkip = `cooldown: ran ${Math.round((now - this.#lastRun) / 1000)} s ago, cooldown is ${config.cooldown_seconds} s`;
      t?.step('cooldown', 'cooldown', false, this.#stats.lastSkip);
      return t?.done(sink!, 'cooldown');
    }
    t?.step('cooldown', 'cooldown', true, this.#lastRun === undefined ? `${config.cooldown_seconds} s, never ran` : `${config.cooldown_seconds} s, ran ${Math.round((now - this.#lastRun) / 1000)} s ago`);
    const { ha } = this.#deps;
    const unreachable = unreachableReason(ha);
    t?.step('ha', 'Home Assistant reachable', !unreachable, unreachable);
    if (unreachable) {
      this.#stats.unreachable++;
      t?.done(sink!, 'unreachable');
      return this.#skip('ha_unreachable', `${unreachable}: ${this.#what()} was not called. The rule acts again on the next trigger once Home Assistant is back.`, topic);
    }
    const conditions = t ? this.#tracedConditions(t) : checkConditions(config.conditions, (id) => ha.getState(id));
    if (!conditions.ok) {
      this.#stats.conditionsUnmet++;
      this.#stats.lastSkip = `condition not met: ${conditions.reason}`;
      this.log(`Triggered by ${topic}, but ${conditions.reason}; nothing done.`, 'debug', 'condition');
      return t?.done(sink!, 'condition_false');
    }
    if (!this.#deps.sensitiveConfirmed) {
      const sensitive = sensitiveActions(config.actions, ha);
      t?.step('sensitive', 'sensitive actions confirmed', sensitive.length === 0, sensitive.length ? `not confirmed: ${sensitive.join(', ')}` : 'none sensitive');
      if (sensitive.length > 0) {
        this.#stats.refused++;
        t?.done(sink!, 'refused_sensitive');
        return this.#skip('refused_sensitive', `Refused: ${sensitive.join(', ')} needs your confirmation, and this rule was not confirmed when it was approved. Approve the rule again to allow it.`, topic);
      }
    } else t?.step('sensitive', 'sensitive actions confirmed', true, 'confirmed at approval');
    // Set before the calls: triggers arriving while they run are within the cooldown.
    this.#lastRun = now;
    this.#stats.lastRunAt = now;
    this.#stats.runs++;
    const outcomes = await runActions(ha, config.actions, { clock: this.clock, signal: this.signal, timeoutMs: this.#deps.callTimeoutMs, chat: this.#deps.chat });
    this.#publishOutcomes(outcomes, topic);
    const failed = outcomes.find((o) => o.status === 'error');
    if (t) {
      for (const o of outcomes) t.step('action', o.entity_id ? `${o.service} ${o.entity_id}` : o.service, o.status === 'ok', actionAnswer(o));
      t.done(sink!, failed ? 'failed' : 'acted');
    }
    // A success is recorded by its actuation events alone: a log line per run would double the
    // messages on the hot path of every rule.
    if (failed) {
      this.#stats.failures++;
      this.reportError(new Error(`${failed.service} failed: ${failed.error ?? 'unknown error'}`), 'warning', 'actuate');
    }
  }

  // ---- for_seconds (hold.ts) ----

  #onHeldTrigger(topic: string, payload: unknown, matched: boolean, t: TraceBuilder | undefined): void {
    const sink = this.#deps.traces;
    const seconds = this.config.for_seconds!;
    const entity = entityOf(payload);
    const key = entity ?? topic;
    const hold = this.#holds.get(key);
    const now = this.clock.now();
    if (matched) {
      if (hold?.fired) {
        this.#stats.filtered++;
        t?.step('for', `for ${seconds} s`, false, `already acted for this stretch (since ${iso(hold.since)}); waits for the state to change`);
        return t?.done(sink!, 'filtered');
      }
      if (hold) {
        t?.step('for', `for ${seconds} s`, true, `still holding since ${iso(hold.since)}; due ${iso(hold.deadline)}`);
        return t?.done(sink!, 'pending');
      }
      const fresh: Hold = { key, entity, topic, message: traceMessage(payload), since: now, deadline: now + seconds * 1000, fired: false };
      this.#holds.set(key, fresh);
      this.#saveHolds();
      this.#armHold(fresh);
      t?.step('for', `for ${seconds} s`, true, `waiting until ${iso(fresh.deadline)}`);
      return t?.done(sink!, 'pending');
    }
    this.#stats.filtered++;
    // A message the full filter refuses may still show the state holding (an attribute update).
    if (!hold || matchesFilter(holdingFilter(this.config.detection_filter), payload)) return t?.done(sink!, 'filtered');
    this.#dropHold(key);
    if (hold.fired) return t?.done(sink!, 'filtered');
    t?.step('for', `for ${seconds} s`, false, `the state changed after ${Math.round((now - hold.since) / 1000)} s of ${seconds} s`);
    t?.done(sink!, 'cancelled');
  }

  #armHold(hold: Hold): void {
    this.#holdTimers.get(hold.key)?.cancel();
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, hold.deadline - this.clock.now()));
    this.#holdTimers.set(hold.key, this.after(wait, () => this.#holdDue(hold.key)));
  }

  #dropHold(key: string): void {
    this.#holds.delete(key);
    this.#holdTimers.get(key)?.cancel();
    this.#holdTimers.delete(key);
    this.#saveHolds();
  }

  #saveHolds(): void {
    this.persist(HOLDS_KEY, { config: holdsFingerprint(this.config), holds: [...this.#holds.values()] });
  }

  /**
   * Home Assistant's word on whether the state still holds: true, false, or undefined when its
   * states cannot be read now. A hold keyed by topic (no entity) has only the messages to go by.
   */
  #stillHolds(hold: Hold): { holds: boolean | undefined; now: string } {
    if (hold.entity === null) return { holds: true, now: 'no entity to check: no message said otherwise' };
    const state = this.#deps.ha.getState(hold.entity);
    if (!state) return unreachableReason(this.#deps.ha) ? { holds: undefined, now: 'Home Assistant unreachable' } : { holds: false, now: `${hold.entity} is unknown to Home Assistant` };
    const ok = matchesFilter(holdingFilter(this.config.detection_filter), currentStatePayload(hold.entity, state));
    return { holds: ok, now: `${hold.entity} is ${JSON.stringify(state.state)}` };
  }

  async #holdDue(key: string): Promise<void> {
    this.#holdTimers.delete(key);
    const hold = this.#holds.get(key);
    if (!hold || hold.fired) return;
    if (this.clock.now() < hold.deadline) return this.#armHold(hold);
    const check = this.#stillHolds(hold);
    if (check.holds === undefined) {
      this.#holdTimers.set(key, this.after(HOLD_RECHECK_MS, () => this.#holdDue(key)));
      return;
    }
    const sink = this.#deps.traces;
    const t = sink?.wants(this.name) ? new TraceBuilder(this.clock, { agent: this.name, kind: 'trigger', topic: hold.topic, message: hold.message }) : undefined;
    const late = this.clock.now() - hold.deadline;
    const due = `due ${iso(hold.deadline)}${late >= 1000 ? `, checked ${Math.round(late / 1000)} s late` : ''}`;
    if (!check.holds) {
      this.#dropHold(key);
      t?.step('for', `for ${this.config.for_seconds} s`, false, `${check.now} at the deadline (${due})`);
      return t?.done(sink!, 'cancelled');
    }
    // Marked before acting: a crash while acting must not act again after the restart.
    hold.fired = true;
    this.#saveHolds();
    t?.step('for', `for ${this.config.for_seconds} s`, true, `held since ${iso(hold.since)}; ${check.now} (${due})`);
    await this.#evaluate(hold.topic, t);
  }

  /** After a restart: each hold is checked against Home Assistant now; due ones are run at once. */
  #restoreHolds(): void {
    const sink = this.#deps.traces;
    for (const hold of readHolds(this.recall(HOLDS_KEY, null), holdsFingerprint(this.config))) {
      const check = this.#stillHolds(hold);
      if (check.holds === false) {
        if (!hold.fired && sink?.wants(this.name)) {
          const t = new TraceBuilder(this.clock, { agent: this.name, kind: 'trigger', topic: hold.topic, message: hold.message });
          t.step('for', `for ${this.config.for_seconds} s`, false, `the state changed while the rule was stopped: ${check.now}`);
          t.done(sink, 'cancelled');
        }
        continue;
      }
      this.#holds.set(hold.key, hold);
      if (!hold.fired) this.#armHold(hold);
    }
    this.#saveHolds();
  }

  #tracedConditions(t: TraceBuilder): ConditionCheck {
    const results = conditionResults(this.config.conditions, (id) => this.#deps.ha.getState(id));
    for (const r of results) t.step('condition', r.what, r.ok, r.reason);
    const first = results.find((r) => !r.ok);
    return first ? { ok: false, reason: first.reason } : { ok: true };
  }

  #publishOutcomes(outcomes: readonly ActionOutcome[], topic: string): void {
    const ts = this.clock.now();
    for (const o of outcomes) {
      this.publish('agentActuations', { id: this.id }, { ts, automation_id: this.config.automation_id, agent: this.name, trigger_topic: topic, ...o });
    }
  }

  /** Not acting is reported where a user looks: the actuation stream, the logs and the error feed. */
  #skip(status: Skip, reason: string, topic: string): void {
    this.#stats.lastSkip = reason;
    const ts = this.clock.now();
    for (const action of this.config.actions) {
      const entities = entitiesOf(action);
      this.publish('agentActuations', { id: this.id }, {
        ts, automation_id: this.config.automation_id, agent: this.name, trigger_topic: topic, service: serviceName(action),
        ...(entities.length ? { entity_id: entities.join(',') } : {}), status, reason,
      });
    }
    this.log(reason, 'warn', status);
    this.reportError(new Error(reason), 'warning', 'actuate');
  }

  #what(): string {
    return this.config.actions.map(serviceName).join(', ');
  }

  #status() {
    const waiting = [...this.#holds.values()].filter((h) => !h.fired).map((h) => ({ key: h.key, since: h.since, deadline: h.deadline }));
    return { name: this.name, automation_id: this.config.automation_id, confirmed: this.#deps.sensitiveConfirmed, ...this.#stats, ...(this.config.for_seconds !== undefined ? { holds: waiting } : {}) };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isStatusRequest(payload: unknown): boolean {
  if (payload === 'status') return true;
  return typeof payload === 'object' && payload !== null && (payload as { action?: unknown }).action === 'status';
}
