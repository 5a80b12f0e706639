// The Actor base class: a bounded mailbox handled one message at a time, a lifecycle, metrics,
// and the few things an actor may do (tell, ask, reply, persist, recall, publish, subscribe,
// timers). Subclasses implement `handle`; the ActorSystem drives the lifecycle. A handler that
// throws (or rejects) fails the actor and its supervisor decides what happens next.
import type { Bus, Unsubscribe } from '../bus/bus.ts';
import type { ErrorEvent } from '../bus/payloads.ts';
import type { TopicKey, TopicParams, TopicPayloadIn } from '../bus/topics.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { ActorError, type ActorMetrics, type ActorStatus } from './lifecycle.ts';
import { Mailbox } from './mailbox.ts';
import { errorMessage, event, result, task, toErrorInfo, type Message } from './messages.ts';
import type { ActorKernel } from './kernel.ts';

export interface ActorOptions {
  /** Unique in the system; stable across restarts (persisted state is keyed by it). */
  name: string;
  /** Defaults to `<name>-<random>`; a supervisor restart keeps the previous incarnation's id. */
  id?: string;
  /** Protected actors refuse stop/pause/delete commands (infrastructure: main, monitor...). */
  protected?: boolean;
  /**
   * A protected actor takes no task from the broker or from agent code unless it says so here
   * (main does, and answers such tasks on its restricted channel). Unprotected actors, spawned
   * agents themselves, always take them.
   */
  acceptsUntrustedTasks?: boolean;
  mailboxCapacity?: number;
  /** Heartbeat silence after which the actor counts as failed (default: the system's, 60 s). */
  heartbeatSilenceMs?: number;
  /** What kind of actor this is (`dynamic`, `llm`, ...), for the API and the panel. */
  kind?: string;
  /** One line for people: what this actor does. */
  description?: string;
}

/** Code to run in the actor's turn once slow work has settled (see `later`). */
class Continuation {
  readonly run: () => unknown;
  constructor(run: () => unknown) {
    this.run = run;
  }
}

/** Synchronous messages handled per turn before yielding to I/O (keeps HTTP/MQTT responsive). */
const BATCH = 4096;

const NAME = /^[^/+#\s][^/+#]*$/;

export abstract class Actor {
  readonly name: string;
  readonly kind: string;
  readonly description: string | undefined;
  readonly isProtected: boolean;
  readonly acceptsUntrustedTasks: boolean;
  readonly heartbeatSilenceMs: number | undefined;
  #id: string;
  #status: ActorStatus = { state: 'created' };
  #mailbox: Mailbox<Message>;
  #kernel: ActorKernel | undefined;
  #scheduled = false;
  #busy = false;
  /** The message being handled: if the actor ends meanwhile, its asker must not wait for a timeout. */
  #current: Message | undefined;
  #abort: AbortController | undefined;
  /** Answers being worked on outside the mailbox (answerLater). */
  #answering = 0;
  /** Awaits a handler declared with `tracked`, each with the time it may take. */
  #tracked = new Set<{ until: number }>();
  #timers = new Set<TimerHandle>();
  #processed = 0;
  #errors = 0;
  #dropped = 0;
  #restarts = 0;
  #startedAt: number | undefined;
  #lastHeartbeat: number | undefined;
  readonly #drainFn = () => this.#drain();

  constructor(opts: ActorOptions) {
    if (!NAME.test(opts.name) || opts.name.length > 128) throw new ActorError('invalid_name', `Invalid actor name ${JSON.stringify(opts.name)}: it must be 1-128 characters without '/', '+', '#' or leading space.`);
    this.name = opts.name;
    this.kind = opts.kind ?? 'actor';
    this.description = opts.description;
    this.isProtected = opts.protected ?? false;
    this.acceptsUntrustedTasks = !this.isProtected || opts.acceptsUntrustedTasks === true;
    this.heartbeatSilenceMs = opts.heartbeatSilenceMs;
    this.#id = opts.id ?? `${opts.name}-${Math.random().toString(36).slice(2, 10)}`;
    this.#mailbox = new Mailbox(opts.mailboxCapacity);
  }

  // ---- what subclasses implement ----

  /**
   * Handles one message. For an `ask` (a task with a correlationId), a returned value other than
   * undefined is the answer; return undefined to answer later with `reply(msg, ...)`.
   */
  protected abstract handle(msg: Message): unknown;
  /** Runs before the first message; throwing here fails the start. */
  protected onStart(): void | Promise<void> {}
  /** Cleanup after stop or failure; timers and subscriptions are already released. */
  protected onStop(): void | Promise<void> {}

  // ---- identity and observation ----

  get id(): string {
    return this.#id;
  }

  get status(): ActorStatus {
    return this.#status;
  }

  get state(): ActorStatus['state'] {
    return this.#status.state;
  }

  metrics(): ActorMetrics {
    const now = this.#kernel?.clock.now() ?? Date.now();
    const running = this.#status.state === 'running' || this.#status.state === 'paused';
    return {
      messagesProcessed: this.#processed,
      errors: this.#errors,
      dropped: this.#dropped,
      mailbox: this.#mailbox.size,
      restarts: this.#restarts,
      startedAt: this.#startedAt,
      uptimeMs: running && this.#startedAt !== undefined ? now - this.#startedAt : 0,
      lastHeartbeat: this.#lastHeartbeat,
    };
  }

  /**
   * While a handler holds the mailbox in a tracked await (pattern 1 of core/README.md "Slow
   * work"): until when the actor counts as alive without reading heartbeats. undefined otherwise.
   */
  get aliveUntil(): number | undefined {
    if (!this.#busy || this.#tracked.size === 0) return undefined;
    let until = 0;
    for (const t of this.#tracked) until = Math.max(until, t.until);
    return until;
  }

  /** Enqueues a message; false when the mailbox is full or the actor has ended. */
  tell(msg: Message): boolean {
    const st = this.#status.state;
    if (st === 'stopped' || st === 'failed' || !this.#mailbox.push(msg)) {
      this.#dropped++;
      return false;
    }
    if (st === 'running' && !this.#busy && !this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#drainFn);
    }
    return true;
  }

  // ---- what subclasses use ----

  protected get system(): ActorKernel {
    if (!this.#kernel) throw new ActorError('not_spawned', `${this.name} is not spawned in an ActorSystem yet`);
    return this.#kernel;
  }

  protected get clock(): Clock {
    return this.system.clock;
  }

  protected get bus(): Bus | undefined {
    return this.#kernel?.bus;
  }

  /** Aborted when this actor stops or fails: pass it to slow work (LLM, HTTP) so it ends too. */
  protected get signal(): AbortSignal {
    this.#abort ??= new AbortController();
    return this.#abort.signal;
  }

  /** Sends a task to another actor (by id or name). */
  protected send(target: string, payload: unknown): boolean {
    return this.system.tell(target, task(payload, { from: this.#id }));
  }

  /** Asks another actor and awaits its answer. Awaiting inside `handle` holds this mailbox meanwhile. */
  protected ask<T = unknown>(target: string, payload: unknown, opts?: { timeoutMs?: number }): Promise<T> {
    return this.system.ask<T>(target, payload, { ...opts, from: this.#id });
  }

  /** Answers a message: resolves the asker's promise, or sends a RESULT back to the sender. */
  protected reply(to: Message, payload: unknown): void {
    if (to.type === 'heartbeat' || to.type === 'event') return;
    if (to.correlationId !== undefined) this.system.resolveAsk(to.correlationId, payload);
    else if (to.from !== undefined) this.system.tell(to.from, result(payload, { from: this.#id }));
  }

  /**
   * Declares slow work a handler awaits while holding the mailbox on purpose (pattern 1): for up
   * to `withinMs` the actor counts as alive although it reads no heartbeats; past it, heartbeat
   * silence counts again. The work must end by itself (its own timeout or limit); an untracked
   * await that hangs is failed after the usual silence.
   */
  protected tracked<T>(work: Promise<T>, withinMs: number): Promise<T> {
    const entry = { until: this.clock.now() + withinMs };
    this.#tracked.add(entry);
    // A side chain: the caller awaits `work` itself, with no extra turns in its way.
    const untrack = () => void this.#tracked.delete(entry);
    work.then(untrack, untrack);
    return work;
  }

  /**
   * Slow work beside the mailbox (pattern 2 of core/README.md "Slow work"): the mailbox stays
   * free meanwhile, and `then` runs in this actor's turn, like a message, once the work has
   * settled. A rejection arrives as an `error` message instead.
   */
  protected later<T>(work: Promise<T>, then: (value: T) => unknown): void {
    work.then(
      (v) => void this.tell(task(new Continuation(() => then(v)), { from: this.#id })),
      (err: unknown) => void this.tell(errorMessage(toErrorInfo(err, 'async'), { from: this.#id })),
    );
  }

  /**
   * Answers `msg` when the work settles, outside the mailbox (pattern 3): for an actor that
   * serves many askers at once and keeps no state about their work. At most `maxInFlight` run at
   * once; past it, `busy(n)` is the answer right away. A rejection answers `{error: message}`.
   * Returns what the handler should return (undefined: answered later).
   */
  protected answerLater(msg: Message, start: () => Promise<unknown>, bound?: { maxInFlight: number; busy: (inFlight: number) => unknown }): unknown {
    if (bound && this.#answering >= bound.maxInFlight) return bound.busy(this.#answering);
    this.#answering++;
    start()
      .then(
        (v) => this.reply(msg, v),
        (err: unknown) => this.reply(msg, { error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => this.#answering--);
    return undefined;
  }

  /** Durable on return (SQLite, synchronous=FULL). Keyed by actor name. */
  protected persist(key: string, value: unknown): void {
    this.system.store.set(this.name, key, value);
  }

  protected recall<T>(key: string, fallback: T): T {
    const v = this.system.store.get(this.name, key);
    return v === undefined ? fallback : (v as T);
  }

  protected forget(key: string): boolean {
    return this.system.store.delete(this.name, key);
  }

  protected publish<K extends TopicKey>(key: K, params: TopicParams<K>, payload: TopicPayloadIn<K>): void {
    this.#kernel?.bus?.publish(key, params, payload);
  }

  /** Subscribes to a raw filter; messages arrive as `event` messages, JSON-decoded when possible. */
  protected subscribe(filter: string): Unsubscribe {
    const bus = this.#kernel?.bus;
    if (!bus) throw new ActorError('no_bus', `${this.name}: this system has no bus to subscribe with`);
    return bus.subscribeRaw(filter, (topic, payload) => void this.tell(event(topic, decode(payload))), this);
  }

  /** Subscribes to a system topic of the map; only valid payloads arrive, as `event` messages. */
  protected subscribeTopic<K extends TopicKey>(key: K, params: Partial<TopicParams<K>> = {}): Unsubscribe {
    const bus = this.#kernel?.bus;
    if (!bus) throw new ActorError('no_bus', `${this.name}: this system has no bus to subscribe with`);
    return bus.subscribe(key, params, (payload, _params, topic) => void this.tell(event(topic, payload)), this);
  }

  /** Publishes to agents/{id}/logs. */
  protected log(message: string, level: 'debug' | 'info' | 'warn' | 'error' = 'info', type = 'log'): void {
    this.#kernel?.bus?.publish('agentLogs', { id: this.#id }, { type, message, level, ts: this.clock.now() });
  }

  /** Reports a non-fatal error (counted, published to agents/{id}/errors); the actor keeps running. */
  protected reportError(err: unknown, severity: ErrorEvent['severity'] = 'warning', phase = 'handle'): void {
    this.#errors++;
    this.#kernel?.reportError(this, toErrorInfo(err, phase), severity);
  }

  /**
   * After ms, delivers `msg` to self, or runs `then` in this actor's turn (like a message, so a
   * paused actor runs it on resume); cancelled when the actor ends.
   */
  protected after(ms: number, msg: Message | (() => unknown)): TimerHandle {
    const deliver = typeof msg === 'function' ? () => task(new Continuation(msg), { from: this.#id }) : () => msg;
    return this.#track((done) => this.clock.setTimeout(() => (done(), void this.tell(deliver())), ms));
  }

  /** Delivers a message to self every ms; cancelled when the actor ends. */
  protected every(ms: number, msg: Message | (() => Message)): TimerHandle {
    return this.#track(() => this.clock.setInterval(() => void this.tell(typeof msg === 'function' ? msg() : msg), ms));
  }

  /** Stops this actor normally (a permanent child is restarted; transient/temporary are not). */
  protected stopSelf(): void {
    void this.system.stopActor(this.#id, 'normal');
  }

  // ---- driven by the ActorSystem (not for subclasses) ----

  /** @internal */
  _bind(kernel: ActorKernel, id: string | undefined, restarts: number): void {
    this.#kernel = kernel;
    if (id !== undefined) this.#id = id;
    this.#restarts = restarts;
  }

  /** @internal */
  _setStatus(next: ActorStatus): void {
    this.#status = next;
    if (next.state === 'running') {
      this.#startedAt ??= next.since;
      if (this.#mailbox.size > 0 && !this.#busy && !this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(this.#drainFn);
      }
    }
  }

  /** @internal */
  async _start(): Promise<void> {
    await this.onStart();
  }

  /** @internal Releases timers, subscriptions and in-flight work; returns what was never handled. */
  async _cleanup(): Promise<Message[]> {
    this.#abort?.abort(new ActorError('actor_ended', `${this.name} ended`));
    for (const t of this.#timers) t.cancel();
    this.#timers.clear();
    this.#kernel?.bus?.removeOwner(this);
    const unhandled = this.#mailbox.drain();
    if (this.#current) unhandled.unshift(this.#current);
    this.#current = undefined;
    await this.onStop();
    return unhandled;
  }

  /** @internal */
  _heartbeatSeen(ts: number): void {
    this.#lastHeartbeat = ts;
  }

  #track(make: (done: () => void) => TimerHandle): TimerHandle {
    let handle: TimerHandle | undefined = undefined;
    const done = () => handle && this.#timers.delete(handle);
    handle = make(done);
    const h = handle;
    this.#timers.add(h);
    return { cancel: () => (h.cancel(), void this.#timers.delete(h)) };
  }

  #drain(): void {
    this.#scheduled = false;
    let budget = BATCH;
    while (!this.#busy && this.#status.state === 'running') {
      const msg = this.#mailbox.shift();
      if (msg === undefined) return;
      let r: unknown;
      this.#current = msg;
      try {
        if (msg.type === 'heartbeat') r = this.#kernel?.heartbeat(this, msg.ts);
        else if (msg.type === 'task' && msg.payload instanceof Continuation) r = msg.payload.run();
        else r = this.handle(msg);
      } catch (err) {
        this.#crash(err, msg);
        return;
      }
      if (r instanceof Promise) {
        this.#busy = true;
        r.then(
          (v: unknown) => this.#settled(msg, v),
          (err: unknown) => this.#rejected(msg, err),
        );
        return;
      }
      this.#done(msg, r);
      if (--budget === 0) {
        this.#scheduled = true;
        setImmediate(this.#drainFn);
        return;
      }
    }
  }

  #done(msg: Message, r: unknown): void {
    this.#current = undefined;
    if (msg.type === 'heartbeat') return;
    this.#processed++;
    if (r !== undefined && msg.type === 'task' && msg.correlationId !== undefined) this.#kernel?.resolveAsk(msg.correlationId, r);
  }

  #settled(msg: Message, v: unknown): void {
    this.#busy = false;
    const st = this.#status.state;
    if (st === 'stopped' || st === 'failed') return;
    this.#done(msg, v);
    if (st === 'running') this.#drain();
  }

  #rejected(msg: Message, err: unknown): void {
    this.#busy = false;
    // Work aborted by our own stop is not a failure.
    const st = this.#status.state;
    if (st === 'stopped' || st === 'failed') return;
    this.#crash(err, msg);
  }

  #crash(err: unknown, msg: Message): void {
    this.#errors++;
    this.#kernel?.crashed(this, err, msg);
  }
}

function decode(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
