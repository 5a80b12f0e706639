// ha_actuator: the acting end of a reactive rule, one per automation (seed §9). It listens to its
// topics; a message that passes the detection_filter, the cooldown and the live conditions makes
// it call its Home Assistant services in order, and every call is published on
// agents/{id}/actuations. It never acts blind: with Home Assistant unreachable it does nothing and
// says why (no fail-open), and a sensitive action without the user's confirmation is refused.
import { Actor } from '../../../core/actor.ts';
import type { Message } from '../../../core/messages.ts';
import type { HaClient } from '../../../ha/client.ts';
import type { HaActuatorSpawn } from '../../spawn-config/config-schema.ts';
import { checkConditions } from '../conditions.ts';
import { matchesFilter } from '../filter.ts';
import { sensitiveActions } from '../sensitive.ts';
import { entitiesOf, runActions, serviceName, unreachableReason, type ActionOutcome } from '../service-calls.ts';
import { qualifyTopic } from '../topics.ts';
import type { z } from 'zod';

export type HaActuatorConfig = z.infer<typeof HaActuatorSpawn>;

export interface HaActuatorDeps {
  ha: HaClient;
  /** The user confirmed this rule's sensitive actions (see confirmation.ts). */
  sensitiveConfirmed: boolean;
  callTimeoutMs?: number;
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
    if (!matchesFilter(config.detection_filter, payload)) {
      this.#stats.filtered++;
      return;
    }
    const now = this.clock.now();
    if (this.#lastRun !== undefined && now - this.#lastRun < config.cooldown_seconds * 1000) {
      this.#stats.cooledDown++;
      this.#stats.lastSkip = `cooldown: ran ${Math.round((now - this.#lastRun) / 1000)} s ago, cooldown is ${config.cooldown_seconds} s`;
      return;
    }
    const { ha } = this.#deps;
    const unreachable = unreachableReason(ha);
    if (unreachable) {
      this.#stats.unreachable++;
      return this.#skip('ha_unreachable', `${unreachable}: ${this.#what()} was not called. The rule acts again on the next trigger once Home Assistant is back.`, topic);
    }
    const conditions = checkConditions(config.conditions, (id) => ha.getState(id));
    if (!conditions.ok) {
      this.#stats.conditionsUnmet++;
      this.#stats.lastSkip = `condition not met: ${conditions.reason}`;
      this.log(`Triggered by ${topic}, but ${conditions.reason}; nothing done.`, 'debug', 'condition');
      return;
    }
    if (!this.#deps.sensitiveConfirmed) {
      const sensitive = sensitiveActions(config.actions, ha);
      if (sensitive.length > 0) {
        this.#stats.refused++;
        return this.#skip('refused_sensitive', `Refused: ${sensitive.join(', ')} needs your confirmation, and this rule was not confirmed when it was approved. Approve the rule again to allow it.`, topic);
      }
    }
    // Set before the calls: triggers arriving while they run are within the cooldown.
    this.#lastRun = now;
    this.#stats.lastRunAt = now;
    this.#stats.runs++;
    const outcomes = await runActions(ha, config.actions, { clock: this.clock, signal: this.signal, timeoutMs: this.#deps.callTimeoutMs });
    this.#publishOutcomes(outcomes, topic);
    const failed = outcomes.find((o) => o.status === 'error');
    // A success is recorded by its actuation events alone: a log line per run would double the
    // messages on the hot path of every rule.
    if (failed) {
      this.#stats.failures++;
      this.reportError(new Error(`${failed.service} failed: ${failed.error ?? 'unknown error'}`), 'warning', 'actuate');
    }
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
