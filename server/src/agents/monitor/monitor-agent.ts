// The MonitorAgent (seed §6): watches every agent's heartbeat (agents/+/heartbeat) and errors
// (agents/+/errors), local or remote; recovers by severity (warning: log; critical/degraded:
// restart through the supervisor, at most 3 times; fatal or setup failures: never restart, tell
// the user); and tells the user through a NoticeSink, without infrastructure noise, repeats
// within a cooldown, or a "recovered" nobody was warned about. Everything arrives through its
// mailbox, so the bookkeeping is never touched by two handlers at once.
import { ErrorEvent, Heartbeat } from '../../bus/payloads.ts';
import { parseTopic } from '../../bus/topics.ts';
import { Actor, type ActorOptions } from '../../core/actor.ts';
import type { SystemEvent } from '../../core/kernel.ts';
import { task, type Message } from '../../core/messages.ts';
import { ErrorRegistry, type AgentErrors } from './error-registry.ts';
import type { NoticeSink } from './notice.ts';
import { Notifier } from './notifier.ts';
import { RestartBudget, recoveryFor } from './recovery.ts';
import type { MonitorTarget } from './target.ts';
import { HeartbeatWatchdog, type AgentPulse } from './watchdog.ts';

export const MONITOR_ACTOR_NAME = 'monitor';

export interface MonitorOptions {
  /** Silence after which an agent counts as unresponsive (default 60 s). */
  heartbeatTimeoutMs?: number;
  /** How often silence is checked (default 10 s). */
  checkIntervalMs?: number;
  /** Wait before recovering, giving the agent's own supervisor the first go (default 5 s). */
  recoveryGraceMs?: number;
  maxRestarts?: number;
  restartWindowMs?: number;
  /** The same problem of the same agent is not repeated within this (default 5 min). */
  cooldownMs?: number;
}

export interface MonitorDeps {
  sink: NoticeSink;
  target: MonitorTarget;
  options?: MonitorOptions;
}

type Internal =
  | { monitor: 'check' }
  | { monitor: 'system'; event: SystemEvent }
  | { monitor: 'recover'; id: string; name: string; message: string; at: number }
  | { monitor: 'status' };

export interface MonitorStatus {
  agents: AgentPulse[];
  errors: AgentErrors[];
}

const isInternal = (p: unknown): p is Internal => p !== null && typeof p === 'object' && 'monitor' in p;

export class MonitorAgent extends Actor {
  readonly #deps: MonitorDeps;
  readonly #watchdog: HeartbeatWatchdog;
  readonly #errors = new ErrorRegistry();
  readonly #budget: RestartBudget;
  readonly #notifier: Notifier;
  readonly #opts: Required<MonitorOptions>;
  /** When each agent was last restarted by its supervisor (from system events). */
  readonly #restartedAt = new Map<string, number>();
  /** Agents restarted by recovery, waiting for a running heartbeat to say "recovered". */
  readonly #recovering = new Set<string>();
  /** Restarts the monitor asked for itself: their `restarted` events are not the supervisor's doing. */
  readonly #ownRestarts = new Set<string>();
  #offEvents: (() => void) | undefined;

  constructor(deps: MonitorDeps, opts: Partial<ActorOptions> = {}) {
    super({ name: MONITOR_ACTOR_NAME, kind: 'monitor', protected: true, ...opts });
    this.#deps = deps;
    const o = deps.options ?? {};
    this.#opts = {
      heartbeatTimeoutMs: o.heartbeatTimeoutMs ?? 60_000,
      checkIntervalMs: o.checkIntervalMs ?? 10_000,
      recoveryGraceMs: o.recoveryGraceMs ?? 5_000,
      maxRestarts: o.maxRestarts ?? 3,
      restartWindowMs: o.restartWindowMs ?? 3_600_000,
      cooldownMs: o.cooldownMs ?? 300_000,
    };
    this.#watchdog = new HeartbeatWatchdog(this.#opts.heartbeatTimeoutMs);
    this.#budget = new RestartBudget(this.#opts.maxRestarts, this.#opts.restartWindowMs);
    this.#notifier = new Notifier(deps.sink, this.#opts.cooldownMs);
  }

  protected override onStart(): void {
    if (this.bus) {
      this.subscribeTopic('agentHeartbeat');
      this.subscribeTopic('agentErrors');
    }
    this.every(this.#opts.checkIntervalMs, task({ monitor: 'check' } satisfies Internal));
    this.#offEvents = this.#deps.target.onEvent((event) => void this.tell(task({ monitor: 'system', event } satisfies Internal)));
  }

  protected override onStop(): void {
    this.#offEvents?.();
    this.#offEvents = undefined;
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'event':
        this.#onBusEvent(msg.topic, msg.payload);
        return undefined;
      case 'task':
        return isInternal(msg.payload) ? this.#onInternal(msg.payload) : undefined;
      case 'result':
      case 'error':
      case 'command':
      case 'heartbeat':
        return undefined;
    }
  }

  #onInternal(p: Internal): unknown {
    switch (p.monitor) {
      case 'check':
        this.#checkSilence();
        return undefined;
      case 'system':
        this.#onSystemEvent(p.event);
        return undefined;
      case 'recover':
        return this.#recover(p);
      case 'status':
        return { agents: this.#watchdog.list(), errors: this.#errors.list() } satisfies MonitorStatus;
    }
  }

  #onBusEvent(topic: string, payload: unknown): void {
    const root = this.bus?.root;
    if (root === undefined) return;
    // The bus validated the payloads already; parsing again gives them their types here.
    if (parseTopic(root, 'agentHeartbeat', topic)) {
      const hb = Heartbeat.safeParse(payload);
      if (hb.success) this.#onHeartbeat(hb.data);
      return;
    }
    const errorOf = parseTopic(root, 'agentErrors', topic);
    if (errorOf) {
      const err = ErrorEvent.safeParse(payload);
      if (err.success) this.#onError(errorOf.id, err.data);
    }
  }

  #onHeartbeat(hb: Heartbeat): void {
    const now = this.clock.now();
    const { pulse, wasSilent } = this.#watchdog.beat({ id: hb.id, name: hb.name, state: hb.state, at: now, ...(hb.node ? { node: hb.node } : {}), isProtected: hb.protected ?? false });
    if (hb.state !== 'running') return;
    if (wasSilent) {
      this.#notifier.notify({ level: 'recovered', agent: pulse.name, message: 'responding again (heartbeat received).', at: now, topic: 'silent', isProtected: pulse.isProtected });
    }
    if (this.#recovering.delete(pulse.name)) {
      this.#notifier.notify({ level: 'recovered', agent: pulse.name, message: 'running normally again.', at: now, topic: 'error', isProtected: pulse.isProtected });
    }
  }

  #checkSilence(): void {
    const now = this.clock.now();
    for (const a of this.#watchdog.newlySilent(now)) {
      const local = this.#deps.target.lookup(a.id);
      // Stopped or failed locally: the user did it, or the failure is reported as an error.
      if (local && local.state !== 'running') continue;
      const seconds = Math.round((now - a.lastSeen) / 1000);
      const where = a.node ? ` on ${a.node}` : '';
      this.log(`${a.name}${where} silent for ${seconds} s`, 'warn', 'heartbeat_timeout');
      if (!local) this.bus?.publish('agentAlert', { id: a.id }, { type: 'heartbeat_timeout', severity: 'critical', message: `${a.name}${where} has not sent a heartbeat for ${seconds} s`, ts: now });
      this.#notifier.notify({ level: 'critical', agent: a.name, message: `unresponsive: no heartbeat for ${seconds} s${where}.`, at: now, topic: 'silent', isProtected: a.isProtected });
    }
  }

  #onError(id: string, e: ErrorEvent): void {
    const now = this.clock.now();
    const local = this.#deps.target.lookup(id);
    const name = local?.name ?? this.#watchdog.get(id)?.name ?? id;
    const isProtected = local?.isProtected ?? this.#watchdog.get(id)?.isProtected ?? false;
    this.#errors.record(name, { severity: e.severity, phase: e.phase, message: e.message, at: now });
    switch (recoveryFor(e.severity, e.phase)) {
      case 'log':
        this.log(`${name}: ${e.message}`, 'warn', 'agent_warning');
        return;
      case 'fatal':
        this.log(`${name}: fatal ${e.phase} error, not restarting: ${e.message}`, 'error', 'agent_fatal');
        this.#recovering.delete(name);
        this.#notifier.notify({
          level: 'critical',
          agent: name,
          message: `failed to ${e.phase === 'compile' ? 'compile' : 'start'} (${e.message}). Its code or configuration needs fixing, so it will not be restarted.`,
          at: now,
          topic: `fatal:${e.message}`,
          isProtected,
        });
        return;
      case 'restart':
        this.after(this.#opts.recoveryGraceMs, task({ monitor: 'recover', id, name, message: e.message, at: now } satisfies Internal));
        return;
    }
  }

  async #recover(p: Extract<Internal, { monitor: 'recover' }>): Promise<void> {
    const now = this.clock.now();
    const info = this.#deps.target.lookup(p.id) ?? this.#deps.target.lookup(p.name);
    // Deleted, stopped or paused on purpose meanwhile: nothing to recover.
    if (!info || info.state === 'stopped' || info.state === 'paused') return;
    const restartedBySupervisor = (this.#restartedAt.get(p.name) ?? -Infinity) >= p.at;
    if (restartedBySupervisor && info.state === 'running') {
      this.#recovering.add(p.name);
      this.#notifier.notify({ level: 'warning', agent: p.name, message: `crashed (${p.message}); its supervisor restarted it.`, at: now, topic: `error:${p.message}`, isProtected: info.isProtected });
      return;
    }
    const n = this.#budget.take(p.name, now);
    if (n === undefined) {
      this.#recovering.delete(p.name);
      this.#notifier.notify({
        level: 'critical',
        agent: p.name,
        message: `keeps failing (${p.message}); gave up after ${this.#budget.max} restarts. It needs attention: /agents restart ${p.name} to try again.`,
        at: now,
        topic: 'gave_up',
        isProtected: info.isProtected,
      });
      return;
    }
    this.#ownRestarts.add(info.name);
    const r = await this.#deps.target.restart(info.name);
    if (!r.ok) this.#ownRestarts.delete(info.name);
    if (r.ok) {
      this.log(`${p.name} restarted (${n}/${this.#budget.max}) after: ${p.message}`, 'warn', 'agent_restarted');
      this.#recovering.add(p.name);
      this.#notifier.notify({ level: 'warning', agent: p.name, message: `${p.message}; restarting it (${n}/${this.#budget.max}).`, at: now, topic: `error:${p.message}`, isProtected: info.isProtected });
    } else {
      this.#notifier.notify({ level: 'critical', agent: p.name, message: `${p.message}; it could not be restarted: ${r.message}`, at: now, topic: `restart_failed:${p.message}`, isProtected: info.isProtected });
    }
  }

  #onSystemEvent(e: SystemEvent): void {
    switch (e.type) {
      case 'restarted':
        if (!this.#ownRestarts.delete(e.name)) this.#restartedAt.set(e.name, this.clock.now());
        return;
      case 'deleted':
        this.#watchdog.forget(e.id);
        this.#errors.forget(e.name);
        this.#budget.forget(e.name);
        this.#notifier.forget(e.name);
        this.#recovering.delete(e.name);
        return;
      case 'state':
        // Stopped on purpose (or for a restart): it is not expected to beat until it runs again.
        if (e.state === 'stopped') this.#watchdog.forget(e.id);
        return;
      case 'escalated': {
        const info = this.#deps.target.lookup(e.failure.name);
        this.#notifier.notify({
          level: 'critical',
          agent: e.failure.name,
          message: `failed too often (${e.failure.error.message}); its supervisor gave up. It needs attention.`,
          at: this.clock.now(),
          topic: 'escalated',
          isProtected: info?.isProtected ?? false,
        });
        return;
      }
      case 'spawned':
      case 'failed':
        return;
    }
  }
}
