// The ActorSystem: registry by id and unique name, spawn/stop/pause/resume/delete, tell/ask/
// broadcast, failure handling (a crash or heartbeat silence fails the actor and tells its
// supervisor), heartbeats and health on the bus, and the root supervisor. Stopping the system
// stops actors in reverse start order and awaits each one's cleanup.
import type { Bus, Unsubscribe } from '../bus/bus.ts';
import { filterFor, type TopicKey } from '../bus/topics.ts';
import type { Severity } from '../bus/payloads.ts';
import { createLogger, type Logger } from '../logger.ts';
import { MemoryKeyValueStore, type KeyValueStore } from '../store/kv.ts';
import type { Actor } from './actor.ts';
import { systemClock, type Clock, type TimerHandle } from './clock.ts';
import { wireCommands } from './commands.ts';
import type { ActorKernel, AskOptions, SupervisorLink, SystemEvent } from './kernel.ts';
import { PendingAsks } from './asks.ts';
import { ActorError, isTerminal, type StopReason } from './lifecycle.ts';
import { failure, heartbeat, task, toErrorInfo, type Failure, type FailureReason, type Message, type Via } from './messages.ts';
import { Supervisor, type SupervisorOptions } from './supervisor.ts';
import { healthSnapshot, heartbeatPayload } from './telemetry.ts';

export type LogSink = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface ActorSystemOptions {
  clock?: Clock;
  store?: KeyValueStore;
  bus?: Bus;
  logger?: LogSink;
  heartbeatIntervalMs?: number;
  healthIntervalMs?: number;
  /** Heartbeat silence after which a running actor counts as failed. */
  heartbeatSilenceMs?: number;
  askTimeoutMs?: number;
  /** Options of the root supervisor (strategy, restart budget...). */
  root?: Partial<Omit<SupervisorOptions, 'name'>>;
  /** The root supervisor gave up: tell the user. */
  onEscalation?: (failure: Failure) => void;
}

interface Entry {
  readonly actor: Actor;
  readonly supervisor: SupervisorLink | undefined;
}

export interface SpawnOptions {
  supervisor?: SupervisorLink;
  /** Reuse an id (supervisor restarts keep the child's id). */
  id?: string;
  restarts?: number;
}

export class ActorSystem implements ActorKernel {
  readonly clock: Clock;
  readonly store: KeyValueStore;
  readonly bus: Bus | undefined;
  readonly logger: LogSink;
  readonly supervisor: Supervisor;
  readonly heartbeatIntervalMs: number;
  readonly healthIntervalMs: number;
  readonly heartbeatSilenceMs: number;
  readonly askTimeoutMs: number;
  #byId = new Map<string, Entry>();
  #byName = new Map<string, Entry>();
  #asks: PendingAsks;
  #listeners = new Set<(e: SystemEvent) => void>();
  #timers: TimerHandle[] = [];
  #unsubs: Unsubscribe[] = [];
  #running = false;

  constructor(opts: ActorSystemOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.store = opts.store ?? new MemoryKeyValueStore();
    this.bus = opts.bus;
    this.logger = opts.logger ?? createLogger('silent');
    this.heartbeatIntervalMs = opts.heartbeatIntervalMs ?? 10_000;
    this.healthIntervalMs = opts.healthIntervalMs ?? 15_000;
    this.heartbeatSilenceMs = opts.heartbeatSilenceMs ?? 60_000;
    this.askTimeoutMs = opts.askTimeoutMs ?? 30_000;
    this.#asks = new PendingAsks(this.clock);
    const onEscalation = opts.onEscalation;
    this.supervisor = new Supervisor(this, {
      name: 'root',
      ...opts.root,
      onEscalate: (f) => {
        this.logger.error({ supervisor: 'root', actor: f.name, error: f.error.message }, 'root supervisor gave up');
        this.#emit({ type: 'escalated', supervisor: 'root', failure: f });
        onEscalation?.(f);
      },
    });
  }

  /** Starts heartbeats, health, command handling, then the root supervisor's children in order. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#timers.push(this.clock.setInterval(() => this.#heartbeatTick(), this.heartbeatIntervalMs));
    if (this.bus) {
      const bus = this.bus;
      this.#timers.push(this.clock.setInterval(() => bus.publish('systemHealth', {}, this.health()), this.healthIntervalMs));
      this.#unsubs.push(...wireCommands(this, bus), ...this.#claimTelemetry(bus));
    }
    await this.supervisor.start();
  }

  /**
   * The telemetry of this process's own actors (agents/{id}/heartbeat, logs, errors, alert,
   * metrics, completed, actuations) reaches local subscribers (monitor, rules, panel) in-process,
   * and what the broker brings for those ids is dropped: anyone on the broker could forge an
   * agent's error or a rule's actuation. Agents on other nodes publish the same topics; theirs
   * still come from the broker.
   */
  #claimTelemetry(bus: Bus): Unsubscribe[] {
    // agents/{id}/...: the id is the level after the root's and `agents`.
    const idAt = bus.root.split('/').length + 1;
    const liveHere = (levels: readonly string[]) => {
      const e = this.#byId.get(levels[idAt] ?? '');
      return e !== undefined && !isTerminal(e.actor.status);
    };
    return LOCAL_TELEMETRY.map((key) => bus.claimTopics(filterFor(bus.root, key), liveHere));
  }

  /** Stops every actor in reverse start order, awaiting each cleanup; releases timers and subscriptions. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const t of this.#timers.splice(0)) t.cancel();
    for (const u of this.#unsubs.splice(0)) u();
    await this.supervisor.stop();
    for (const { actor } of [...this.#byId.values()].reverse()) await this.stopActor(actor.id, 'shutdown');
    this.#asks.rejectAll(() => new ActorError('system_stopped', 'the actor system stopped before an answer came'));
  }

  get running(): boolean {
    return this.#running;
  }

  /** Registers and starts an actor. Its name must be free (or held by an ended actor it replaces). */
  async spawn<A extends Actor>(actor: A, opts: SpawnOptions = {}): Promise<A> {
    actor._bind(this, opts.id, opts.restarts ?? 0);
    if (actor.state !== 'created') throw new ActorError('already_spawned', `${actor.name} was already spawned`);
    for (const clash of [this.#byName.get(actor.name), this.#byId.get(actor.id)]) {
      if (!clash) continue;
      if (!isTerminal(clash.actor.status)) throw new ActorError('name_taken', `An actor named ${actor.name} (or with id ${actor.id}) is already running.`);
      this.#unregister(clash.actor);
    }
    const entry: Entry = { actor, supervisor: opts.supervisor };
    this.#byId.set(actor.id, entry);
    this.#byName.set(actor.name, entry);
    this.#emit({ type: 'spawned', id: actor.id, name: actor.name, kind: actor.kind });
    try {
      await actor._start();
    } catch (err) {
      const f = failure(actor.id, actor.name, 'start_failed', toErrorInfo(err, 'start'), this.clock.now());
      await this.#fail(actor, f, undefined, false);
      throw new ActorError('start_failed', `${actor.name} failed to start: ${f.error.message}`);
    }
    if (actor.state !== 'created') return actor; // stopped during its own start
    this.#setStatus(actor, { state: 'running', since: this.clock.now() });
    return actor;
  }

  get(target: string): Actor | undefined {
    return (this.#byId.get(target) ?? this.#byName.get(target))?.actor;
  }

  /** Every registered actor (ended ones included until deleted or replaced), in start order. */
  list(): Actor[] {
    return [...this.#byId.values()].map((e) => e.actor);
  }

  supervisorOf(target: string): SupervisorLink | undefined {
    return (this.#byId.get(target) ?? this.#byName.get(target))?.supervisor;
  }

  tell(target: string, msg: Message): boolean {
    const e = this.#byId.get(target) ?? this.#byName.get(target);
    return e ? e.actor.tell(msg) : false;
  }

  /** Sends to every non-ended actor (optionally filtered); returns how many accepted it. */
  broadcast(msg: Message, filter?: (a: Actor) => boolean): number {
    let n = 0;
    for (const { actor } of this.#byId.values()) if ((!filter || filter(actor)) && actor.tell(msg)) n++;
    return n;
  }

  ask<T = unknown>(target: string, payload: unknown, opts: AskOptions = {}): Promise<T> {
    const e = this.#byId.get(target) ?? this.#byName.get(target);
    if (!e) return Promise.reject(new ActorError('not_found', `No actor ${target}`));
    const { actor } = e;
    const refused = untrustedRefusal(actor, opts.via);
    if (refused) return Promise.reject(refused);
    return this.#asks.open<T>(target, opts.timeoutMs ?? this.askTimeoutMs, (correlationId) => {
      if (actor.tell(task(payload, { from: opts.from, correlationId, ...(opts.via ? { via: opts.via } : {}) }))) return undefined;
      const ended = isTerminal(actor.status);
      return new ActorError(ended ? 'actor_ended' : 'mailbox_full', ended ? `${actor.name} has ${actor.state}` : `${actor.name}'s mailbox is full`);
    });
  }

  /** Answers an ask; a late or second answer is ignored (the first one won). */
  resolveAsk(correlationId: string, value: unknown): void {
    this.#asks.resolve(correlationId, value);
  }

  async stopActor(target: string, reason: StopReason = 'stopped'): Promise<boolean> {
    const e = this.#byId.get(target) ?? this.#byName.get(target);
    if (!e || isTerminal(e.actor.status)) return false;
    const { actor } = e;
    this.#setStatus(actor, { state: 'stopped', at: this.clock.now(), reason });
    await this.#cleanup(actor, () => new ActorError('actor_stopped', `${actor.name} stopped before answering`));
    e.supervisor?.childExited(actor, reason);
    return true;
  }

  pauseActor(target: string): boolean {
    const a = this.get(target);
    if (a?.state !== 'running') return false;
    this.#setStatus(a, { state: 'paused', since: this.clock.now() });
    return true;
  }

  resumeActor(target: string): boolean {
    const a = this.get(target);
    if (a?.state !== 'paused') return false;
    this.#setStatus(a, { state: 'running', since: this.clock.now() });
    return true;
  }

  /** Stops the actor for good: its persisted state and registry entry go too. */
  async deleteActor(target: string): Promise<boolean> {
    const e = this.#byId.get(target) ?? this.#byName.get(target);
    if (!e) return false;
    if (!isTerminal(e.actor.status)) await this.stopActor(e.actor.id, 'deleted');
    else e.supervisor?.childExited(e.actor, 'deleted');
    this.store.clear(e.actor.name);
    this.#unregister(e.actor);
    this.#emit({ type: 'deleted', id: e.actor.id, name: e.actor.name });
    return true;
  }

  health() {
    return healthSnapshot(this.list(), this.clock.now());
  }

  /** Listens to lifecycle events; a throwing listener never disturbs the system. */
  onEvent(listener: (e: SystemEvent) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  // ---- ActorKernel: called by actors ----

  heartbeat(actor: Actor, ts: number): void {
    actor._heartbeatSeen(ts);
    this.bus?.publish('agentHeartbeat', { id: actor.id }, heartbeatPayload(actor, this.clock.now()));
  }

  crashed(actor: Actor, err: unknown, msg: Message | undefined): void {
    const f = failure(actor.id, actor.name, 'crash', toErrorInfo(err, 'handle'), this.clock.now());
    void this.#fail(actor, f, msg, true);
  }

  reportError(actor: Actor, error: ReturnType<typeof toErrorInfo>, severity: Severity): void {
    this.bus?.publish('agentErrors', { id: actor.id }, { phase: error.phase ?? 'handle', severity, message: error.message, name: error.name, ts: this.clock.now() });
  }

  /** Fails an actor from outside (heartbeat silence, a sandbox limit...). */
  fail(target: string, reason: FailureReason, err: unknown): Promise<void> {
    const a = this.get(target);
    if (!a || isTerminal(a.status)) return Promise.resolve();
    return this.#fail(a, failure(a.id, a.name, reason, toErrorInfo(err, reason), this.clock.now()), undefined, true);
  }

  async #fail(actor: Actor, f: Failure, current: Message | undefined, notify: boolean): Promise<void> {
    if (isTerminal(actor.status)) return;
    this.#setStatus(actor, { state: 'failed', at: f.ts, failure: f });
    this.logger.warn({ actor: actor.name, reason: f.reason, error: f.error.message }, 'actor failed');
    this.#emit({ type: 'failed', id: actor.id, name: actor.name, failure: f });
    this.reportError(actor, f.error, 'critical');
    const err = () => new ActorError('actor_failed', `${actor.name} failed: ${f.error.message}`);
    this.#asks.rejectMessages([current], err);
    await this.#cleanup(actor, err);
    if (notify) (this.#byId.get(actor.id) ?? this.#byName.get(actor.name))?.supervisor?.childFailed(actor, f);
  }

  async #cleanup(actor: Actor, err: () => Error): Promise<void> {
    let unhandled: Message[] = [];
    try {
      unhandled = await actor._cleanup();
    } catch (e) {
      this.logger.error({ actor: actor.name, err: e }, 'actor cleanup threw');
    }
    this.#asks.rejectMessages(unhandled, err);
  }

  #heartbeatTick(): void {
    const now = this.clock.now();
    for (const { actor } of this.#byId.values()) {
      if (actor.state === 'paused') this.heartbeat(actor, now);
      if (actor.state !== 'running') continue;
      const m = actor.metrics();
      const last = m.lastHeartbeat ?? m.startedAt ?? now;
      const limit = actor.heartbeatSilenceMs ?? this.heartbeatSilenceMs;
      // Holding its mailbox in a tracked await within its time: alive, though it reads no
      // heartbeats meanwhile (they wait in its mailbox).
      const aliveUntil = actor.aliveUntil;
      const tracked = aliveUntil !== undefined && now < aliveUntil;
      if (!tracked && now - last >= limit) {
        this.bus?.publish('agentAlert', { id: actor.id }, { type: 'heartbeat_timeout', severity: 'critical', message: `${actor.name} has not handled a heartbeat for ${Math.round((now - last) / 1000)} s`, ts: now });
        void this.fail(actor.id, 'heartbeat_silence', new Error(`no heartbeat for ${now - last} ms`));
        continue;
      }
      actor.tell(heartbeat(now));
    }
  }

  #setStatus(actor: Actor, next: Actor['status']): void {
    actor._setStatus(next);
    this.#emit({ type: 'state', id: actor.id, name: actor.name, state: next.state });
  }

  #unregister(actor: Actor): void {
    if (this.#byId.get(actor.id)?.actor === actor) this.#byId.delete(actor.id);
    if (this.#byName.get(actor.name)?.actor === actor) this.#byName.delete(actor.name);
  }

  /** @internal For supervisors: lifecycle events they cause (restarts). */
  _emit(e: SystemEvent): void {
    this.#emit(e);
  }

  #emit(e: SystemEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        this.logger.error({ err, event: e.type }, 'system event listener threw');
      }
    }
  }
}

/** What an actor publishes about itself under agents/{id}/ (claimed while the actor is alive here). */
const LOCAL_TELEMETRY = ['agentHeartbeat', 'agentLogs', 'agentErrors', 'agentAlert', 'agentMetrics', 'agentCompleted', 'agentActuations'] as const satisfies readonly TopicKey[];

const VIA_WORDS: Record<Via, string> = { mqtt: 'the MQTT broker', agent: 'agent code' };

/**
 * Why a task from the broker or from agent code may not reach this actor (undefined: it may).
 * System actors (the HA assistant, the catalog, the monitor...) act with the owner's authority,
 * so only those that answer on a restricted channel (main) take such tasks.
 */
export function untrustedRefusal(actor: Actor, via: Via | undefined): ActorError | undefined {
  if (via === undefined || actor.acceptsUntrustedTasks) return undefined;
  return new ActorError('forbidden', `${actor.name} is a system agent and takes no tasks from ${VIA_WORDS[via]}; ask main instead (it answers without the owner's privileges).`);
}
