// Time limits for planner work on the injected clock: a child AbortSignal that fires after `ms`
// or when its parent aborts, so a step (or the whole plan) cannot outlive its budget.
import type { Clock } from '../../core/clock.ts';

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

export interface Deadline {
  signal: AbortSignal;
  /** Releases the timer and the parent listener; call when the work is over. */
  release(): void;
}

export function deadline(clock: Clock, ms: number, parent: AbortSignal | undefined, what: string): Deadline {
  const controller = new AbortController();
  const timer = clock.setTimeout(() => controller.abort(new DeadlineError(`${what} took longer than ${formatMs(ms)}`)), ms);
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      timer.cancel();
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

/** Runs work under a deadline; rejects as soon as the signal fires, even if the work ignores it. */
export async function withDeadline<T>(clock: Clock, ms: number, parent: AbortSignal | undefined, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const d = deadline(clock, ms, parent, what);
  try {
    return await Promise.race([work(d.signal), aborted(d.signal)]);
  } finally {
    d.release();
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new DeadlineError(String(signal.reason ?? 'aborted')));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}
