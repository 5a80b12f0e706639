// Bounds on the async host calls one agent has pending at once (finding 5 of issue 12: 50,000
// pending `agent.sleep` calls froze the add-on). Past the bound a call fails at once with an
// SdkError; nothing queues. The count is kept twice:
// - in the isolate's shim, so a loop starting 100,000 calls is refused there, synchronously and
//   without 100,000 host round trips (the counters sit in the shim's closure, out of the agent
//   code's reach); the shim tells the host once per run of refusals (`pending.refused`), which
//   reports a warning;
// - here on the host, authoritative: a call the host counts past the bound is refused too.
//   The host's count is never above the shim's (a call leaves it before its answer is delivered),
//   so with an intact shim the host never has to refuse.
import { SdkError } from './errors.ts';
import type { SandboxLimits } from './limits.ts';
import { sdkLabel, type SdkFunction } from './sdk/define.ts';
import type { SandboxErrorEvent } from './types.ts';

export function pendingLimit(fn: SdkFunction, limits: SandboxLimits): number {
  return fn.heavy === true ? limits.maxPendingHeavyCalls : limits.maxPendingCalls;
}

export function pendingRefusal(fn: SdkFunction, limit: number): string {
  return `${sdkLabel(fn)}: at most ${limit} calls pending at once; await them before starting more`;
}

/** What the isolate's shim needs: the bound and refusal text of every async function, by name. */
export type IsolatePendingLimits = Record<string, { limit: number; message: string }>;

export function isolatePendingLimits(functions: readonly SdkFunction[], limits: SandboxLimits): IsolatePendingLimits {
  const out: IsolatePendingLimits = {};
  for (const fn of functions) {
    if (fn.mode !== 'async') continue;
    const limit = pendingLimit(fn, limits);
    out[fn.name] = { limit, message: pendingRefusal(fn, limit) };
  }
  return out;
}

/** The host-side count of one agent's pending async calls, per SDK function. */
export class PendingCalls {
  readonly #limits: SandboxLimits;
  readonly #report: (event: SandboxErrorEvent) => void;
  readonly #counts = new Map<string, number>();
  /** Functions whose refusal was reported since they were last below their bound. */
  readonly #reported = new Set<string>();

  constructor(limits: SandboxLimits, report: (event: SandboxErrorEvent) => void) {
    this.#limits = limits;
    this.#report = report;
  }

  /** Takes a slot for one call, or throws the refusal. The returned function gives the slot back (once). */
  enter(fn: SdkFunction): () => void {
    const limit = pendingLimit(fn, this.#limits);
    const n = this.#counts.get(fn.name) ?? 0;
    if (n >= limit) {
      const message = pendingRefusal(fn, limit);
      if (!this.#reported.has(fn.name)) {
        this.#reported.add(fn.name);
        this.#report({ phase: 'sdk', severity: 'warning', message });
      }
      throw new SdkError(message);
    }
    this.#counts.set(fn.name, n + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const rest = (this.#counts.get(fn.name) ?? 1) - 1;
      if (rest === 0) this.#counts.delete(fn.name);
      else this.#counts.set(fn.name, rest);
      if (rest < limit) this.#reported.delete(fn.name);
    };
  }

  /** Calls of this function pending now (for tests and stats). */
  count(name: string): number {
    return this.#counts.get(name) ?? 0;
  }
}
