// ha_actuator: the acting end of a reactive rule, one per automation (seed §9). It listens to its
// topics; a message that passes the detection_filter, the cooldown and the live conditions makes
// it call its Home Assistant services in order, and every call is published on
// agents/{id}/actuations. It never acts blind: with Home Assistant unreachable it does nothing and
// says why (no fail-open), and a sensitive action without the user's confirmation is refused.
import { Actor } from '../../../core/actor.ts';
import type { Message } from '../../../core/messages.ts';
import type { HaClient } from '../../../ha/client.ts';
import type { HaActuatorSpawn } from '../../spawn-config/config-schema.ts';
import { checkConditions, conditionResults, type ConditionCheck } from '../conditions.ts';
import { filterClauses, matchesFilter } from '../filter.ts';
import { sensitiveActions } from '../sensitive.ts';
import { entitiesOf, runActions, serviceName, unreachableReason, type ActionOutcome, type ChatNotify } from '../service-calls.ts';
import { qualifyTopic } from '../topics.ts';
import { actionAnswer, TraceBuilder, traceMessage, type TraceSink } from '../trace.ts';
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

export class HaActuatorAgent extends Actor {
  readonly config: HaActuatorConfig;
  #deps: HaActuatorDeps;
  #lastRun: number | undefined;
  #stats: ActuatorStats = { triggers: 0, filtered: 0, cooledDown: 0, conditionsUnmet: 0, unreachable: 0, refused: 0, runs: 0, failures: 0, lastRunAt: null, lastSkip: null };

  constructor(config: HaActuatorConfig, deps: HaActuatorDeps) {
    super({ name: config.name, kind: 'ha_actuator' });
    this.config = config;
    this.#deps = deps;
  }

  get stats(): Readonly<ActuatorStats> {
    return this.#stats;
  }

  protected override onStart(): void {
    const root = this.bus?.root;
    if (root === undefined) throw new Error(`${this.name}: an ha_actuator needs the MQTT bus to hear its triggers`);
    for (const topic of this.config.mqtt_topics) this.subscribe(qualifyTopic(root, topic));
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
    if (t) {
      const clauses = filterClauses(config.detection_filter, payload);
      for (const c of clauses) t.step('filter', c.path, c.ok, `${c.actual === undefined ? 'missing' : JSON.stringify(c.actual)}, wanted ${JSON.stringify(c.wanted)}`);
      if (clauses.some((c) => !c.ok)) {
        this.#stats.filtered++;
        return t.done(sink!, 'filtered');
      }
    } else if (!matchesFilter(config.detection_filter, payload)) {
      this.#stats.filtered++;
      return;
    }
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
    return { name: this.name, automation_id: this.config.automation_id, confirmed: this.#deps.sensitiveConfirmed, ...this.#stats };
  }
}

function isStatusRequest(payload: unknown): boolean {
  if (payload === 'status') return true;
  return typeof payload === 'object' && payload !== null && (payload as { action?: unknown }).action === 'status';
}
