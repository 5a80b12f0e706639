// One isolated-vm isolate holding one agent. Every way into it is an asynchronous entry with the
// CPU limit (`timeout`), so a runaway loop is terminated on the isolate's own thread while the
// event loop, the HTTP API and other isolates keep running. Only strings and numbers go in; only
// strings come out (primitives cross by value, so no copy options are needed).
import ivm from 'isolated-vm';
import { SandboxError } from './errors.ts';
import { formatMs } from './limits.ts';
import type { IsolatePendingLimits } from './pending.ts';
import { BOOTSTRAP } from './shim.ts';
import type { HookName, SandboxErrorEvent, SandboxPhase } from './types.ts';
import { compileIssue, formatIssue } from './validate.ts';

export interface IsolateOptions {
  id: string;
  name: string;
  memoryMb: number;
  cpuPerEntryMs: number;
  maxCallBytes: number;
  /** Bounds on pending async calls, enforced by the shim before the host is asked. */
  pending: IsolatePendingLimits;
}

/** The host functions the isolate's shim may call; both take and give JSON text only. */
export interface IsolateCallbacks {
  callSync(name: unknown, argsText: unknown): string;
  callAsync(callId: unknown, name: unknown, argsText: unknown): void;
  /** isolated-vm lost control of the isolate (its own words: "very bad"). */
  onCatastrophe(message: string): void;
}

const TIMED_OUT = 'Script execution timed out.';

/** What a failed entry means: CPU limit, memory limit (isolate gone), disposal, or plain failure. */
export function classifyEntryError(err: unknown, phase: SandboxPhase, options: Pick<IsolateOptions, 'memoryMb' | 'cpuPerEntryMs'>): SandboxErrorEvent {
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes(TIMED_OUT)) {
    return { phase, severity: 'critical', message: `agent code ran for more than ${formatMs(options.cpuPerEntryMs)} without yielding (CPU limit, ${phase}) and was stopped; an endless loop?` };
  }
  if (/memory limit/i.test(message)) {
    return { phase: 'isolate', severity: 'fatal', message: `the agent exceeded its memory limit of ${options.memoryMb} MB (during ${phase}); its isolate was disposed` };
  }
  if (/disposed/i.test(message)) {
    return { phase: 'isolate', severity: 'fatal', message: `the agent's isolate is disposed (during ${phase})` };
  }
  return { phase, severity: 'error', message: `${phase} failed: ${message.split('\n')[0] ?? ''}` };
}

function compileError(err: unknown): SandboxError {
  return new SandboxError({ phase: 'compile', severity: 'error', message: formatIssue(compileIssue(err)) });
}

interface IsolateRefs {
  deliver: ivm.Reference<(id: number, text: string) => void>;
  runHook: ivm.Reference<(name: string, payload: string | undefined) => Promise<string>>;
  dispatch: ivm.Reference<(subId: number, topic: string, payload: string) => Promise<string>>;
  collectHooks: ivm.Reference<() => string>;
}

export class AgentIsolate {
  readonly #isolate: ivm.Isolate;
  readonly #context: ivm.Context;
  readonly #options: IsolateOptions;
  readonly #refs: IsolateRefs;

  private constructor(isolate: ivm.Isolate, context: ivm.Context, options: IsolateOptions, refs: IsolateRefs) {
    this.#isolate = isolate;
    this.#context = context;
    this.#options = options;
    this.#refs = refs;
  }

  static async open(options: IsolateOptions, callbacks: IsolateCallbacks): Promise<AgentIsolate> {
    const isolate = new ivm.Isolate({ memoryLimit: options.memoryMb, onCatastrophicError: (m) => callbacks.onCatastrophe(m) });
    try {
      const context = await isolate.createContext();
      const info = JSON.stringify({ id: options.id, name: options.name, maxCallBytes: options.maxCallBytes, pending: options.pending });
      const api = (await context.evalClosure(
        BOOTSTRAP,
        [new ivm.Callback((n: unknown, a: unknown) => callbacks.callSync(n, a)), new ivm.Callback((id: unknown, n: unknown, a: unknown) => callbacks.callAsync(id, n, a), { ignored: true }), info],
        { filename: 'sdk.js', timeout: Math.max(1000, options.cpuPerEntryMs), result: { reference: true } },
      )) as ivm.Reference<Record<string, unknown>>;
      const get = <T>(key: string): ivm.Reference<T> => api.getSync(key, { reference: true }) as unknown as ivm.Reference<T>;
      const refs = { deliver: get<never>('deliver'), runHook: get<never>('runHook'), dispatch: get<never>('dispatch'), collectHooks: get<never>('collectHooks') };
      api.release();
      return new AgentIsolate(isolate, context, options, refs);
    } catch (err) {
      if (!isolate.isDisposed) isolate.dispose();
      throw err;
    }
  }

  get disposed(): boolean {
    return this.#isolate.isDisposed;
  }

  /** CPU time spent in the isolate so far, in ms. */
  get cpuTimeMs(): number {
    return this.disposed ? 0 : Number(this.#isolate.cpuTime) / 1e6;
  }

  heapUsedBytes(): number {
    if (this.disposed) return 0;
    const h = this.#isolate.getHeapStatisticsSync();
    return h.used_heap_size + h.externally_allocated_size;
  }

  /** Compiles and runs the agent's top-level code under the CPU limit. */
  async load(code: string): Promise<void> {
    let script: ivm.Script;
    try {
      // The trailing `undefined` keeps the script's last value (a huge string, say) from being copied out.
      script = await this.#isolate.compileScript(`${code}\n;undefined;`, { filename: 'agent.js' });
    } catch (err) {
      throw compileError(err);
    }
    await script.run(this.#context, { timeout: this.#options.cpuPerEntryMs, release: true });
  }

  async collectHooks(): Promise<HookName[]> {
    const text = await this.#refs.collectHooks.apply(undefined, [], { timeout: this.#options.cpuPerEntryMs, result: { copy: true } });
    return JSON.parse(String(text)) as HookName[];
  }

  /** Starts a hook; its first synchronous slice runs under the CPU limit, the promise settles later. */
  runHook(name: HookName, payloadText: string | undefined): Promise<string> {
    return this.#refs.runHook.apply(undefined, [name, payloadText], { timeout: this.#options.cpuPerEntryMs, result: { promise: true } }) as Promise<unknown> as Promise<string>;
  }

  /** Runs a subscribe() callback for one message. */
  dispatch(subId: number, topic: string, payloadText: string): Promise<string> {
    return this.#refs.dispatch.apply(undefined, [subId, topic, payloadText], { timeout: this.#options.cpuPerEntryMs, result: { promise: true } }) as Promise<unknown> as Promise<string>;
  }

  /** Settles an async SDK call; the agent code it resumes runs inside this entry's CPU limit. */
  async deliver(callId: number, replyText: string): Promise<void> {
    await this.#refs.deliver.apply(undefined, [callId, replyText], { timeout: this.#options.cpuPerEntryMs });
  }

  dispose(): void {
    if (!this.#isolate.isDisposed) this.#isolate.dispose();
  }
}
