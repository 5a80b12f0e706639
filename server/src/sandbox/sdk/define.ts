// What one SDK host function is: where it sits on the `agent` object, which scope it needs, how
// it is called (see SdkMode), the zod schema of its argument list, its documentation (the SDK
// reference the LLM reads is generated from these), and the host-side code.
import type { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { HttpFetcher } from '../fetch/fetcher.ts';
import type { SandboxLimits } from '../limits.ts';
import type { AgentHost, BusMessage, HostWindow, LogLevel, SandboxErrorEvent, Scope } from '../types.ts';

/**
 * value: synchronous, returns a plain value (await optional): recall, agents, window queries.
 * ack: synchronous, returns an already-resolved promise: log, persist, subscribe...
 * async: returns a promise settled when the host is done: publish, llm.chat, http.fetch...
 * Refusals (scope, bad argument, limit) throw at once in the first two modes and reject in the third,
 * except the bound on pending calls (pending.ts), which throws at once: a runaway loop must not
 * pile up one rejected promise per refused call.
 */
export type SdkMode = 'value' | 'ack' | 'async';

export interface SdkDoc {
  /** As the agent writes it, e.g. `agent.publish(topic, data)`. */
  signature: string;
  returns: string;
  description: string;
  example?: string;
}

/** Per-agent resources an SDK function may use besides AgentHost. */
export interface SdkContext {
  readonly host: AgentHost;
  readonly agent: { readonly id: string; readonly name: string };
  readonly limits: SandboxLimits;
  readonly clock: Clock;
  /** Aborted when the agent stops: every host call should pass it on. */
  readonly signal: AbortSignal;
  readonly fetcher: HttpFetcher;
  /** Hops of the deepest task this agent is handling (0 outside handleTask). */
  hops(): number;
  /** Takes one line from the agent's log rate limit; false means drop it (it is counted). */
  allowLogLine(): boolean;
  /** Writes to the agent's log through the rate limit. */
  log(level: LogLevel, message: string): void;
  report(event: SandboxErrorEvent): void;
  /** Runs fn when the agent stops; the returned function unregisters it. */
  onStop(fn: () => void): () => void;
  /** Queues a bus message for the isolate-side callback registered under subId. */
  deliver(subId: number, message: BusMessage): void;
  readonly subscriptions: Map<number, () => void>;
  readonly windows: Map<number, HostWindow>;
}

export interface SdkFunction<S extends z.ZodType = z.ZodType> {
  /** Host-side name the shim calls by; unique. */
  readonly name: string;
  /** Dotted place on the `agent` object; null for helpers only another function's shim uses. */
  readonly path: string | null;
  /** Other places on `agent` for the same function (snake_case habits from the original). */
  readonly aliases?: readonly string[];
  readonly scope: Scope | null;
  readonly mode: SdkMode;
  /** Async only: holds megabytes or a shared provider, so the tighter maxPendingHeavyCalls bounds it. */
  readonly heavy?: boolean;
  /** Schema of the whole argument list (a tuple). */
  readonly args: S;
  /**
   * Isolate-side source of `function (rt, name) { return function (...) {...}; }` when the method
   * needs more than a call by name (callbacks, proxy objects, response wrappers). `rt` offers
   * value/ack/call(name, args), addSubscriber(fn) and makeWindow(id).
   */
  readonly shim?: string;
  readonly doc: SdkDoc;
  run(ctx: SdkContext, args: z.output<S>): unknown;
}

/** Something that exists only inside the isolate (no host call): documented like the rest. */
export interface IsolateFeature {
  readonly name: string;
  /** Statements run once per isolate with `rt`, `agent` and `G` (the global object) in scope. */
  readonly install: string;
  readonly doc: SdkDoc;
}

/** How an agent writes the function, for messages: `agent.sleep`. */
export function sdkLabel(fn: SdkFunction): string {
  return fn.path === null ? fn.name : `agent.${fn.path}`;
}

export function defineSdk<S extends z.ZodType>(fn: SdkFunction<S>): SdkFunction {
  return fn;
}
