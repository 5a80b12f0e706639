// `scheduled` (seed Pattern 5): fires on a schedule, publishes schedule/{name}/fired (or its
// publish_topic) and may call Home Assistant services itself. Its next fire time is persisted
// before it waits, so a restart knows what it missed: a firing missed by less than the grace
// period happens at start (late, and says so), a longer miss is reported and skipped, and a
// `once` that has fired or was missed retires for good.
import { relativeTopicFor } from '../../../bus/topics.ts';
import { Actor } from '../../../core/actor.ts';
import type { Message } from '../../../core/messages.ts';
import type { TimerHandle } from '../../../core/clock.ts';
import type { HaClient } from '../../../ha/client.ts';
import type { ScheduledSpawn } from '../../spawn-config/config-schema.ts';
import { sensitiveActions } from '../sensitive.ts';
import type { RuleTraceOutcome } from '../../../contract/rules.ts';
import { runActions, serviceName, unreachableReason, type ChatNotify } from '../service-calls.ts';
import { actionAnswer, TraceBuilder, trimmed, type TraceSink } from '../trace.ts';
import { qualifyTopic } from '../topics.ts';
import { nextFireTime, type GeoLocation } from './next-fire.ts';
import type { z } from 'zod';

export type ScheduledConfig = z.infer<typeof ScheduledSpawn>;

export const DEFAULT_GRACE_MS = 10 * 60_000;
/** Long waits are cut into pieces: timers past ~24.8 days overflow, and a wall-clock jump is caught. */
const MAX_WAIT_MS = 60 * 60_000;
const STATE_KEY = 'schedule_state';

export interface ScheduledDeps {
  ha: HaClient;
  sensitiveConfirmed: boolean;
  graceMs?: number;
  callTimeoutMs?: number;
  /** Where firings are traced (the planner's recorder); absent: not traced. */
  traces?: TraceSink | undefined;
  /** Removes the agent for good once a `once` is done (the spawner's delete); stops itself otherwise. */
  retire?: (name: string) => Promise<unknown>;
  /** Delivers notify.chat_channel actions (the chat channels). */
  chat?: ChatNotify | undefined;
}

/** What survives a restart. `schedule` tells whether it still belongs to this config. */
interface SavedState {
  schedule: string;
  next_fire: number | null;
  last_fire: number | null;
  retired?: { at: number; reason: string };
}


export interface ZoneInfo {
  tz: string;
  location: GeoLocation | undefined;
  /** False while Home Assistant's configuration is unknown and a fallback is used. */
  fromHa: boolean;
}

/** The time zone and location a schedule uses: Home Assistant's, else the process's zone. */
export function zoneOf(ha: HaClient): ZoneInfo {
  const c = ha.config();
  if (c) return { tz: c.time_zone, location: { latitude: c.latitude, longitude: c.longitude, elevation: c.elevation }, fromHa: true };
  return { tz: Intl.DateTimeFormat().resolvedOptions().timeZone, location: undefined, fromHa: false };
}

export class ScheduledAgent extends Actor {
  readonly config: ScheduledConfig;
  #deps: ScheduledDeps;
  #zone: ZoneInfo = { tz: 'UTC', location: undefined, fromHa: false };
  #state: SavedState;
  #timer: TimerHandle | undefined;
  #generation = 0;
  #fired = 0;
  /** The planned firing was computed with the fallback zone (HA's config was not known yet). */
  #fallbackPlan = false;

  constructor(config: ScheduledConfig, deps: ScheduledDeps) {
    super({ name: config.name, kind: 'scheduled' });
    this.config = config;
    this.#deps = deps;
    this.#state = { schedule: JSON.stringify(config.schedule), next_fire: null, last_fire: null };
  }

  /** The next firing, for the panel and tests; undefined when none is planned. */
  get nextFire(): number | undefined {
    return this.#state.next_fire ?? undefined;
  }

  protected override onStart(): void {
    if (!this.bus) throw new Error(`${this.name}: a scheduled agent needs the MQTT bus to publish its firings`);
    this.#zone = zoneOf(this.#deps.ha);
    const saved = this.recall<SavedState | undefined>(STATE_KEY, undefined);
    if (saved && saved.schedule === this.#state.schedule) this.#state = saved;
    if (this.#state.retired) {
      this.log(`Already done (${this.#state.retired.reason}); nothing left to fire.`, 'info', 'schedule');
      this.#retireNow();
      return;
    }
    if (!this.#zone.fromHa && needsZone(this.config.schedule)) {
      // Planned with the process's zone for now; replanned once Home Assistant says where it is.
      this.later(this.#deps.ha.ready(this.signal), () => this.#replan());
    }
    this.#resume(this.clock.now());
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        return isStatusRequest(msg.payload) ? this.#status() : undefined;
      case 'command':
        return msg.command === 'status' ? this.#status() : undefined;
      case 'event':
      case 'result':
      case 'error':
      case 'heartbeat':
        return undefined;
    }
  }

  /** At start: fire what was missed within the grace period, report what was missed beyond it. */
  #resume(now: number): void {
    const due = this.#state.next_fire ?? (this.#state.last_fire === null ? this.#firstFire(now) : null);
    if (due === null || due === undefined) return this.#plan(now);
    if (due > now) return this.#arm(due);
    const late = now - due;
    const grace = this.#deps.graceMs ?? DEFAULT_GRACE_MS;
    if (late <= grace) {
      // Due now; fired from a timer once running (a `once` retires right after, and whoever starts
      // this agent must see it running first).
      return this.#arm(due);
    }
    const reason = `The firing due at ${new Date(due).toISOString()} was missed by ${formatDuration(late)} (more than the ${formatDuration(grace)} grace period) while Wactorz was not running; it was skipped.`;
    this.log(reason, 'warn', 'missed');
    this.reportError(new Error(reason), 'warning', 'schedule');
    if (this.config.schedule.kind === 'once') return this.#retire(now, 'missed');
    this.#plan(now);
  }

  /** The first firing of a fresh agent; a `once` slightly in the past (within grace) is still due. */
  #firstFire(now: number): number | undefined {
    if (this.config.schedule.kind !== 'once') return this.#next(now);
    this.#fallbackPlan = !this.#zone.fromHa;
    return nextFireTime(this.config.schedule, Number.NEGATIVE_INFINITY, this.#zone.tz, this.#zone.location);
  }

  #next(after: number): number | undefined {
    this.#fallbackPlan = !this.#zone.fromHa;
    return nextFireTime(this.config.schedule, after, this.#zone.tz, this.#zone.location);
  }

  /** Plans the next firing after `after` (for interval: one period after it). */
  #plan(after: number): void {
    const next = this.#next(after);
    if (next === undefined) {
      if (this.config.schedule.kind === 'once') return this.#retire(this.clock.now(), 'no firing left');
      this.#save({ ...this.#state, next_fire: null });
      this.reportError(new Error(`The schedule ${JSON.stringify(this.config.schedule)} has no firing left.`), 'warning', 'schedule');
      return;
    }
    this.#arm(next);
  }

  /** Persists the next fire time, then waits for it (in pieces of at most an hour). */
  #arm(at: number): void {
    if (this.#state.next_fire !== at) this.#save({ ...this.#state, next_fire: at });
    this.#timer?.cancel();
    const generation = ++this.#generation;
    this.#timer = this.after(Math.min(Math.max(0, at - this.clock.now()), MAX_WAIT_MS), () => this.#onTick(generation));
  }

  #onTick(generation: number): Promise<void> | undefined {
    if (generation !== this.#generation) return undefined;
    const due = this.#state.next_fire;
    if (due === null) return undefined;
    const now = this.clock.now();
    if (now < due) {
      this.#arm(due);
      return undefined;
    }
    return this.#fire(due, now);
  }

  #replan(): void {
    const zone = zoneOf(this.#deps.ha);
    if (!zone.fromHa || this.#state.retired) return;
    const changed = zone.tz !== this.#zone.tz || this.#zone.location === undefined;
    this.#zone = zone;
    // A firing restored from the last run was planned with HA's zone already: keep it (it may be due).
    if (!changed || !this.#fallbackPlan) return;
    this.log(`Home Assistant's time zone is ${zone.tz}; schedule replanned.`, 'info', 'schedule');
    const now = this.clock.now();
    this.#state = { ...this.#state, next_fire: null };
    this.#plan(this.config.schedule.kind === 'interval' ? (this.#state.last_fire ?? now) : now);
  }

  async #fire(scheduledFor: number, now: number): Promise<void> {
    const once = this.config.schedule.kind === 'once';
    // Persist first: a crash right after publishing must not fire again at restart (an action
    // such as "open the garage" repeated is worse than one reported as missed).
    let next: number | undefined;
    if (!once) {
      next = this.#next(scheduledFor);
      if (next !== undefined && next <= now) next = this.#next(now);
    }
    this.#save({ ...this.#state, last_fire: scheduledFor, next_fire: next ?? null, ...(once ? { retired: { at: now, reason: 'fired' } } : {}) });
    this.#fired++;
    const late = now - scheduledFor;
    const payload = {
      ...(this.config.payload ?? {}),
      ts: now,
      name: this.name,
      kind: this.config.schedule.kind,
      scheduled_for: new Date(scheduledFor).toISOString(),
      ...(late > 1000 ? { late_ms: late } : {}),
    };
    this.#publishFired(payload);
    const sink = this.#deps.traces;
    const t = sink?.wants(this.name) ? new TraceBuilder(this.clock, { agent: this.name, kind: 'schedule', topic: this.config.publish_topic, message: trimmed(payload) }) : undefined;
    t?.step('schedule', `${this.config.schedule.kind} firing`, true, `scheduled for ${new Date(scheduledFor).toISOString()}${late > 1000 ? `, ${Math.round(late / 1000)} s late` : ''}`);
    const outcome = this.config.actions.length > 0 ? await this.#act(t) : 'fired';
    if (t && sink) t.done(sink, outcome);
    if (once) return this.#retireNow();
    if (next !== undefined) this.#arm(next);
    else this.#plan(now);
  }

  #publishFired(payload: Record<string, unknown> & { ts: number }): void {
    const root = this.bus?.root ?? '';
    const topic = this.config.publish_topic;
    if (topic === relativeTopicFor('scheduleFired', { name: this.name })) this.publish('scheduleFired', { name: this.name }, payload);
    else this.bus?.publishRaw(qualifyTopic(root, topic), payload, { qos: 1 });
  }

  async #act(t?: TraceBuilder): Promise<RuleTraceOutcome> {
    const { ha } = this.#deps;
    const ts = this.clock.now();
    const skip = (status: 'ha_unreachable' | 'refused_sensitive', reason: string): RuleTraceOutcome => {
      for (const a of this.config.actions) this.publish('agentActuations', { id: this.id }, { ts, agent: this.name, service: serviceName(a), status, reason });
      this.log(reason, 'warn', status);
      this.reportError(new Error(reason), 'warning', 'actuate');
      return status === 'ha_unreachable' ? 'unreachable' : 'refused_sensitive';
    };
    const unreachable = unreachableReason(ha);
    t?.step('ha', 'Home Assistant reachable', !unreachable, unreachable);
    if (unreachable) return skip('ha_unreachable', `${unreachable}: the scheduled ${this.config.actions.map(serviceName).join(', ')} was not called.`);
    if (!this.#deps.sensitiveConfirmed) {
      const sensitive = sensitiveActions(this.config.actions, ha);
      t?.step('sensitive', 'sensitive actions confirmed', sensitive.length === 0, sensitive.length ? `not confirmed: ${sensitive.join(', ')}` : 'none sensitive');
      if (sensitive.length > 0) return skip('refused_sensitive', `Refused: ${sensitive.join(', ')} needs your confirmation, and this schedule was not confirmed when it was approved.`);
    }
    const outcomes = await runActions(ha, this.config.actions, { clock: this.clock, signal: this.signal, timeoutMs: this.#deps.callTimeoutMs, chat: this.#deps.chat });
    for (const o of outcomes) this.publish('agentActuations', { id: this.id }, { ts, agent: this.name, ...o });
    const failed = outcomes.find((o) => o.status === 'error');
    for (const o of outcomes) t?.step('action', o.entity_id ? `${o.service} ${o.entity_id}` : o.service, o.status === 'ok', actionAnswer(o));
    if (failed) this.reportError(new Error(`${failed.service} failed: ${failed.error ?? 'unknown error'}`), 'warning', 'actuate');
    return failed ? 'failed' : 'acted';
  }

  #retire(now: number, reason: string): void {
    this.#save({ ...this.#state, next_fire: null, retired: { at: now, reason } });
    this.#retireNow();
  }

  #retireNow(): void {
    this.#timer?.cancel();
    if (this.state === 'created') {
      // Retiring from inside start: later, from a timer, so whoever starts it sees it running first.
      this.after(0, () => this.#retireNow());
      return;
    }
    const retire = this.#deps.retire;
    if (retire) {
      retire(this.name).catch((err: unknown) => this.reportError(err, 'warning', 'retire'));
    } else {
      this.stopSelf();
    }
  }

  #save(state: SavedState): void {
    this.#state = state;
    this.persist(STATE_KEY, state);
  }

  #status() {
    const iso = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t).toISOString());
    return {
      name: this.name,
      schedule: this.config.schedule,
      timezone: this.#zone.tz,
      next_fire: iso(this.#state.next_fire),
      last_fire: iso(this.#state.last_fire),
      fired: this.#fired,
      retired: this.#state.retired ?? null,
    };
  }
}

function needsZone(s: ScheduledConfig['schedule']): boolean {
  if (s.kind === 'interval') return false;
  if (s.kind === 'sun') return true;
  return s.timezone === undefined;
}

function isStatusRequest(payload: unknown): boolean {
  if (payload === 'status') return true;
  return typeof payload === 'object' && payload !== null && (payload as { action?: unknown }).action === 'status';
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
