// A sandboxed agent: its isolate, its SDK context and the limits around every hook. Failures are
// data: each one is reported to AgentHost.reportError (phase, severity, message) and the hook call
// rejects with the same SandboxError; nothing here lets agent code take the process down.
import { systemClock, type Clock, type TimerHandle } from '../core/clock.ts';
import { SdkBridge } from './bridge.ts';
import { SandboxError } from './errors.ts';
import { createHttpFetcher, type HttpFetcher } from './fetch/fetcher.ts';
import { createFetchPolicy } from './fetch/policy.ts';
import { AgentIsolate, classifyEntryError } from './isolate.ts';
import { parseJson, toJson } from './json.ts';
import { formatBytes, formatMs, resolveLimits, type SandboxLimits } from './limits.ts';
import { isolatePendingLimits } from './pending.ts';
import { TokenBucket } from '../core/token-bucket.ts';
import { SDK_FUNCTIONS, type SdkContext } from './sdk/index.ts';
import { DEFAULT_SCOPES, type AgentHost, type BusMessage, type HookName, type HostWindow, type Json, type LogLevel, type SandboxErrorEvent, type SandboxPhase, type Scope } from './types.ts';
import { formatIssue, lintAgentCode, type CodeIssue } from './validate.ts';

export interface SandboxedAgentOptions {
  id: string;
  name: string;
  code: string;
  host: AgentHost;
  /** Granted by the spawn protocol or the user; never by the agent's own code. */
  scopes?: readonly Scope[];
  limits?: Partial<SandboxLimits>;
  clock?: Clock;
  /** http.fetch on the host; the default refuses every non-public address. */
  fetcher?: HttpFetcher;
}

export type SandboxStatus = 'created' | 'starting' | 'running' | 'failed' | 'stopped' | 'dead';

export interface SandboxStats {
  status: SandboxStatus;
  hooks: HookName[];
  droppedLogLines: number;
  droppedMessages: number;
  cpuTimeMs: number;
  heapBytes: number;
}

interface Inflight {
  hops: number;
  fail(error: SandboxError): void;
}

interface AgentError {
  name: string;
  message: string;
  stack: string;
}

/** What the shim answers for a hook or callback. */
type EntryReply = { missing: true } | { error: AgentError } | { result: Json };

/** Checks the shape by hand (this runs for every message): agent code can tamper with JSON. */
function isEntryReply(v: unknown): v is EntryReply {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  if (Object.hasOwn(r, 'result')) return true;
  if (r.missing === true) return true;
  const e = r.error as Record<string, unknown> | null | undefined;
  return typeof e === 'object' && e !== null && typeof e.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string';
}

/** "TypeError: x is undefined (line 3, column 11)" from what the isolate's shim described. */
function describeAgentError(e: AgentError): string {
  const at = /agent\.js:(\d+):(\d+)/.exec(e.stack);
  return `${e.name}: ${e.message}${at ? ` (line ${at[1]}, column ${at[2]})` : ''}`;
}

export class SandboxedAgent {
  readonly id: string;
  readonly name: string;
  readonly code: string;
  /** Findings of the code check that did not stop the agent. */
  warnings: CodeIssue[] = [];
  readonly #host: AgentHost;
  readonly #scopes: readonly Scope[];
  readonly #limits: SandboxLimits;
  readonly #clock: Clock;
  readonly #fetcher: HttpFetcher;
  readonly #abort = new AbortController();
  readonly #logBucket: TokenBucket;
  readonly #inflight = new Set<Inflight>();
  readonly #subscriptions = new Map<number, () => void>();
  readonly #windows = new Map<number, HostWindow>();
  readonly #stopHooks = new Set<() => void>();
  #queue: { subId: number; topic: string; text: string }[] = [];
  #pumping = false;
  #overflowReported = false;
  #isolate: AgentIsolate | undefined;
  #state: SandboxStatus = 'created';
  #found: HookName[] = [];
  #droppedLogLines = 0;
  #droppedMessages = 0;
  #droppedSinceLastLine = 0;

  constructor(options: SandboxedAgentOptions) {
    this.id = options.id;
    this.name = options.name;
    this.code = options.code;
    this.#host = options.host;
    this.#scopes = options.scopes ?? DEFAULT_SCOPES;
    this.#limits = resolveLimits(options.limits);
    this.#clock = options.clock ?? systemClock;
    this.#fetcher = options.fetcher ?? createHttpFetcher(createFetchPolicy(), this.#clock);
    this.#logBucket = new TokenBucket(this.#clock, { burst: this.#limits.logBurst, refillMs: 1000 / this.#limits.logRatePerSecond });
  }

  get status(): SandboxStatus {
    return this.#state;
  }

  get hooks(): HookName[] {
    return [...this.#found];
  }

  hasHook(hook: HookName): boolean {
    return this.#found.includes(hook);
  }

  stats(): SandboxStats {
    return {
      status: this.#state,
      hooks: this.hooks,
      droppedLogLines: this.#droppedLogLines,
      droppedMessages: this.#droppedMessages,
      cpuTimeMs: this.#isolate?.cpuTimeMs ?? 0,
      heapBytes: this.#isolate?.heapUsedBytes() ?? 0,
    };
  }

  /** Checks the code, opens the isolate, runs the top-level code and setup(). Rejects with a SandboxError. */
  async start(): Promise<void> {
    if (this.#state !== 'created') throw new Error(`start() on a ${this.#state} agent`);
    this.#state = 'starting';
    try {
      const check = lintAgentCode(this.code);
      this.warnings = check.warnings;
      for (const w of check.warnings) this.#log('warn', `code check: ${formatIssue(w)}`);
      if (!check.ok) throw this.#raise({ phase: 'compile', severity: 'error', message: check.errors.map(formatIssue).join('\n') });

      const bridge = new SdkBridge(this.#context(), this.#scopes);
      this.#isolate = await AgentIsolate.open(
        {
          id: this.id,
          name: this.name,
          memoryMb: this.#limits.memoryMb,
          cpuPerEntryMs: this.#limits.cpuPerEntryMs,
          maxCallBytes: this.#limits.maxCallBytes,
          pending: isolatePendingLimits(SDK_FUNCTIONS, this.#limits),
        },
        {
          callSync: (name, args) => bridge.callSync(name, args),
          callAsync: (id, name, args) => void bridge.callAsync(name, args).then((reply) => this.#deliver(id, reply)),
          onCatastrophe: (message) => this.#die({ phase: 'isolate', severity: 'fatal', message: `isolated-vm lost control of the isolate: ${message}` }),
        },
      );
      try {
        await this.#isolate.load(check.code);
        this.#found = await this.#isolate.collectHooks();
      } catch (err) {
        throw err instanceof SandboxError ? this.#raise(err.toEvent()) : this.#entryFailed('load', err);
      }
      if (this.#found.length === 0) throw this.#raise({ phase: 'load', severity: 'error', message: 'no hook defined: define at least one of async function setup(agent), process(agent), handleTask(agent, payload) or cleanup(agent) at the top level' });
      if (this.hasHook('setup')) await this.#callHook('setup', 'setup', this.#limits.setupMs);
      this.#state = 'running';
      // Messages that arrived during setup (retained ones, typically) wait for it to finish.
      if (this.#queue.length > 0) void this.#pump();
    } catch (err) {
      if (this.#state === 'starting') this.#state = 'failed';
      this.#release();
      throw err;
    }
  }

  /** One process() run (the caller schedules them every poll_interval). No hook: nothing happens. */
  async process(): Promise<void> {
    this.#requireRunning('process');
    if (this.hasHook('process')) await this.#callHook('process', 'process', this.#limits.processMs);
  }

  /** Runs handleTask(agent, payload). hops: agent-to-agent hops that led to this task. */
  async handleTask(payload: Json, options: { hops?: number } = {}): Promise<Json> {
    this.#requireRunning('handleTask');
    if (!this.hasHook('handleTask')) throw this.#raise({ phase: 'handleTask', severity: 'error', message: `agent ${this.name} has no handleTask hook` });
    const text = toJson(payload);
    if (text.length > this.#limits.maxMessageBytes) throw this.#raise({ phase: 'handleTask', severity: 'warning', message: `the task payload is ${formatBytes(text.length)}, over the ${formatBytes(this.#limits.maxMessageBytes)} limit` });
    return (await this.#callHook('handleTask', 'handleTask', this.#limits.handleTaskMs, text, options.hops ?? 0)) ?? null;
  }

  /** cleanup() (errors reported, not thrown), then releases everything. */
  async stop(): Promise<void> {
    if (this.#state === 'running' && this.hasHook('cleanup')) {
      try {
        await this.#callHook('cleanup', 'cleanup', this.#limits.cleanupMs);
      } catch {
        // Already reported; stopping goes on.
      }
    }
    this.dispose();
  }

  /** Releases the isolate and every subscription, window and timer at once. */
  dispose(): void {
    if (this.#state !== 'dead' && this.#state !== 'failed') this.#state = 'stopped';
    this.#release();
  }

  #release(): void {
    if (!this.#abort.signal.aborted) this.#abort.abort();
    for (const unsubscribe of this.#subscriptions.values()) this.#safely(unsubscribe);
    this.#subscriptions.clear();
    for (const w of this.#windows.values()) this.#safely(() => w.close());
    this.#windows.clear();
    for (const fn of this.#stopHooks) this.#safely(fn);
    this.#stopHooks.clear();
    this.#queue = [];
    const stopped = new SandboxError({ phase: 'isolate', severity: 'error', message: `agent ${this.name} was stopped` });
    for (const entry of [...this.#inflight]) entry.fail(stopped);
    this.#isolate?.dispose();
  }

  #requireRunning(phase: SandboxPhase): void {
    if (this.#state !== 'running') throw new SandboxError({ phase, severity: this.#state === 'dead' ? 'fatal' : 'error', message: `agent ${this.name} is ${this.#state}` });
  }

  #context(): SdkContext {
    return {
      host: this.#host,
      agent: { id: this.id, name: this.name },
      limits: this.#limits,
      clock: this.#clock,
      signal: this.#abort.signal,
      fetcher: this.#fetcher,
      hops: () => Math.max(0, ...[...this.#inflight].map((e) => e.hops)),
      allowLogLine: () => this.#allowLogLine(),
      log: (level, message) => this.#log(level, message),
      report: (event) => this.#report(event),
      onStop: (fn) => {
        this.#stopHooks.add(fn);
        return () => void this.#stopHooks.delete(fn);
      },
      deliver: (subId, message) => this.#enqueue(subId, message),
      subscriptions: this.#subscriptions,
      windows: this.#windows,
    };
  }

  #allowLogLine(): boolean {
    if (this.#logBucket.take()) {
      if (this.#droppedSinceLastLine > 0) {
        const n = this.#droppedSinceLastLine;
        this.#droppedSinceLastLine = 0;
        this.#safely(() => this.#host.log('warn', `${n} log lines were dropped (more than ${this.#limits.logRatePerSecond} per second)`));
      }
      return true;
    }
    this.#droppedLogLines++;
    this.#droppedSinceLastLine++;
    return false;
  }

  #log(level: LogLevel, message: string): void {
    if (this.#allowLogLine()) this.#safely(() => this.#host.log(level, message));
  }

  #report(event: SandboxErrorEvent): void {
    this.#safely(() => this.#host.reportError(event));
  }

  /** Reports and returns the error to throw. */
  #raise(event: SandboxErrorEvent): SandboxError {
    this.#report(event);
    return new SandboxError(event);
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // An observer's failure never breaks the sandbox.
    }
  }

  /** Runs one entry that settles later (a hook or a callback) under its wall-clock limit. */
  #runEntry(phase: SandboxPhase, label: string, wallMs: number, hops: number, start: (iso: AgentIsolate) => Promise<string>): Promise<string> {
    const iso = this.#isolate;
    if (iso === undefined || iso.disposed) return Promise.reject(new SandboxError({ phase, severity: 'fatal', message: `agent ${this.name} has no isolate` }));
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const entry: Inflight = { hops, fail: (e) => finish(() => reject(e)) };
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        this.#inflight.delete(entry);
        fn();
      };
      this.#inflight.add(entry);
      // finish() only ever runs asynchronously, after this assignment.
      const timer: TimerHandle = this.#clock.setTimeout(() => finish(() => reject(this.#raise({ phase, severity: 'error', message: `${label} did not finish within ${formatMs(wallMs)} and was abandoned` }))), wallMs);
      // A synchronous throw (an entry on a dying isolate) must settle this entry too.
      new Promise<string>((res) => res(start(iso))).then(
        (text) => finish(() => resolve(text)),
        (err: unknown) => finish(() => reject(this.#entryFailed(phase, err))),
      );
    });
  }

  async #callHook(hook: HookName, phase: SandboxPhase, wallMs: number, payloadText?: string, hops = 0): Promise<Json | undefined> {
    const text = await this.#runEntry(phase, `${hook}()`, wallMs, hops, (iso) => iso.runHook(hook, payloadText));
    const reply = this.#readReply(phase, text, `the result of ${hook}()`);
    if ('result' in reply) {
      // The reply text is the result plus a dozen bytes of envelope: close enough for a size cap.
      if (hook === 'handleTask' && text.length > this.#limits.maxMessageBytes) {
        throw this.#raise({ phase, severity: 'error', message: `handleTask() returned more than ${formatBytes(this.#limits.maxMessageBytes)}` });
      }
      return reply.result;
    }
    if ('error' in reply) throw this.#raise({ phase, severity: 'error', message: `${hook}() threw ${describeAgentError(reply.error)}` });
    return undefined;
  }

  #readReply(phase: SandboxPhase, text: string, what: string): EntryReply {
    let reply: unknown;
    try {
      reply = parseJson(text, this.#limits.maxCallBytes, what);
    } catch (err) {
      throw this.#raise({ phase, severity: 'error', message: `${what} was refused: ${err instanceof Error ? err.message : String(err)}` });
    }
    if (!isEntryReply(reply)) throw this.#raise({ phase, severity: 'error', message: `${what} is unreadable (was JSON tampered with?)` });
    return reply;
  }

  /** A failed entry: CPU limit, memory limit or disposal. Reports it and returns the error. */
  #entryFailed(phase: SandboxPhase, err: unknown): SandboxError {
    const event = classifyEntryError(err, phase, this.#limits);
    if (event.severity === 'fatal') {
      this.#die(event);
      return new SandboxError(event);
    }
    return this.#raise(event);
  }

  /** The isolate is gone: report once, fail everything pending, release the rest. */
  #die(event: SandboxErrorEvent): void {
    if (this.#state === 'dead') return;
    this.#state = 'dead';
    this.#report(event);
    const error = new SandboxError(event);
    for (const entry of [...this.#inflight]) entry.fail(error);
    this.#release();
  }

  /** Settles an async SDK call inside the isolate. */
  #deliver(callId: unknown, reply: string): void {
    const iso = this.#isolate;
    if (iso === undefined || iso.disposed || typeof callId !== 'number' || this.#abort.signal.aborted) return;
    iso.deliver(callId, reply).catch((err: unknown) => this.#continuationFailed(err));
  }

  /**
   * Agent code resumed after an await was cut off. It may belong to any pending hook, and the one
   * it belonged to would never settle, so every pending hook and callback fails with the error.
   */
  #continuationFailed(err: unknown): void {
    const event = classifyEntryError(err, 'continuation', this.#limits);
    if (event.severity === 'fatal') return this.#die(event);
    this.#report(event);
    const error = new SandboxError(event);
    for (const entry of [...this.#inflight]) entry.fail(error);
  }

  #enqueue(subId: number, message: BusMessage): void {
    if (this.#state !== 'running' && this.#state !== 'starting') return;
    const text = toJson(message.payload);
    if (text.length > this.#limits.maxMessageBytes) {
      this.#droppedMessages++;
      this.#report({ phase: 'subscription', severity: 'warning', message: `a ${formatBytes(text.length)} message on ${message.topic} was dropped (over ${formatBytes(this.#limits.maxMessageBytes)})` });
      return;
    }
    if (this.#queue.length >= this.#limits.maxQueuedMessages) {
      this.#droppedMessages++;
      if (!this.#overflowReported) {
        this.#overflowReported = true;
        this.#report({ phase: 'subscription', severity: 'warning', message: `messages arrive faster than the agent handles them; more than ${this.#limits.maxQueuedMessages} are waiting, so new ones are dropped` });
      }
      return;
    }
    this.#queue.push({ subId, topic: message.topic, text });
    if (!this.#pumping && this.#state === 'running') void this.#pump();
  }

  /** Delivers queued messages one at a time. */
  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        const { subId, topic, text } = next;
        try {
          const reply = await this.#runEntry('subscription', `the subscribe callback for ${topic}`, this.#limits.subscriptionMs, 0, (iso) => iso.dispatch(subId, topic, text));
          const parsed = this.#readReply('subscription', reply, `the result of the subscribe callback for ${topic}`);
          if ('error' in parsed) {
            const message = `the subscribe callback for ${topic} threw ${describeAgentError(parsed.error)}`;
            this.#log('error', message);
            this.#report({ phase: 'subscription', severity: 'warning', message });
          }
        } catch {
          // Reported by runEntry; the next message still gets its turn.
        }
      }
    } finally {
      this.#pumping = false;
      this.#overflowReported = false;
    }
  }
}
