// The host half of every SDK call: find the function, check the agent's scopes, parse and
// validate the arguments, run it, and answer `{"result": ...}` or `{"error": "..."}` as JSON text.
// Nothing thrown here ever reaches the isolate as an object; only a cleaned message does.
// Async calls are bounded per agent (pending.ts) and each gets its own AbortSignal, aborted when
// the agent stops.
import type { z } from 'zod';
import { publicMessage, SdkError } from './errors.ts';
import { parseJson, toJson } from './json.ts';
import { formatBytes } from './limits.ts';
import { PendingCalls } from './pending.ts';
import { sdkLabel as label } from './sdk/define.ts';
import { findSdkFunction, type SdkContext, type SdkFunction } from './sdk/index.ts';
import type { Scope } from './types.ts';

function describeIssues(fn: SdkFunction, error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const [index, ...rest] = issue.path;
    const where = typeof index === 'number' ? `argument ${index + 1}${rest.length > 0 ? ` (${rest.join('.')})` : ''}` : 'arguments';
    const message = issue.code === 'too_big' && issue.origin === 'array' && index === undefined ? 'too many arguments' : issue.message;
    return `${where}: ${message}`;
  });
  return `${label(fn)}: ${parts.join('; ')}. Signature: ${fn.doc.signature}`;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export class SdkBridge {
  readonly #ctx: SdkContext;
  readonly #scopes: ReadonlySet<Scope>;
  readonly pending: PendingCalls;

  constructor(ctx: SdkContext, scopes: readonly Scope[]) {
    this.#ctx = ctx;
    this.#scopes = new Set(scopes);
    this.pending = new PendingCalls(ctx.limits, (event) => ctx.report(event));
  }

  /** For value and ack functions: runs on the host while the isolate waits. */
  callSync(name: unknown, argsText: unknown): string {
    try {
      const fn = this.#prepare(name, false);
      const args = this.#parseArgs(fn, argsText);
      const value = fn.run(this.#ctx, args);
      if (isPromiseLike(value)) throw new SdkError(`${label(fn)} is asynchronous but was called synchronously`);
      return this.#reply(fn, value);
    } catch (err) {
      return toJson({ error: publicMessage(err) });
    }
  }

  /** For async functions; never rejects: a failure is an `{"error"}` reply. */
  async callAsync(name: unknown, argsText: unknown): Promise<string> {
    let leave: (() => void) | undefined;
    let unhook: (() => void) | undefined;
    try {
      const fn = this.#prepare(name, true);
      const args = this.#parseArgs(fn, argsText);
      if (this.#ctx.signal.aborted) throw new SdkError('the agent stopped');
      leave = this.pending.enter(fn);
      // A signal of its own per call, aborted by the agent's stop: one listener per pending call
      // on the agent's shared signal would make each new call O(n) (EventTarget scans its
      // listeners on every add), the quadratic cost behind finding 5.
      const call = new AbortController();
      unhook = this.#ctx.onStop(() => call.abort());
      return this.#reply(fn, await fn.run({ ...this.#ctx, signal: call.signal }, args));
    } catch (err) {
      return toJson({ error: publicMessage(err) });
    } finally {
      unhook?.();
      leave?.();
    }
  }

  #prepare(name: unknown, async: boolean): SdkFunction {
    const fn = typeof name === 'string' ? findSdkFunction(name) : undefined;
    if (fn === undefined) throw new SdkError(`unknown SDK function ${String(name).slice(0, 100)}`);
    if ((fn.mode === 'async') !== async) throw new SdkError(`${label(fn)} was called the wrong way`);
    if (fn.scope !== null && !this.#scopes.has(fn.scope)) {
      const message = `${label(fn)} is not allowed for this agent (it needs the "${fn.scope}" permission)`;
      this.#ctx.report({ phase: 'sdk', severity: 'warning', message });
      throw new SdkError(message);
    }
    return fn;
  }

  #parseArgs(fn: SdkFunction, argsText: unknown): unknown {
    if (typeof argsText !== 'string') throw new SdkError(`${label(fn)}: arguments must be sent as JSON text`);
    const raw = parseJson(argsText, this.#ctx.limits.maxCallBytes, `the arguments of ${label(fn)}`);
    const parsed = fn.args.safeParse(raw);
    if (!parsed.success) throw new SdkError(describeIssues(fn, parsed.error));
    return parsed.data;
  }

  #reply(fn: SdkFunction, value: unknown): string {
    // undefined stays undefined in the isolate: `{}` has no result key.
    const text = toJson({ result: value });
    if (text.length > this.#ctx.limits.maxCallBytes) throw new SdkError(`${label(fn)}: the result is ${formatBytes(text.length)}, over the ${formatBytes(this.#ctx.limits.maxCallBytes)} limit`);
    return text;
  }
}
