// How the monitor answers an error (seed §6, layer 2): a warning is logged and the agent left to
// recover; critical or degraded means a restart, at most `maxRestarts` times in a window; a
// fatal error, or any failure while compiling or setting up, means the code itself is broken:
// restarting would fail the same way, so the user is told to fix it instead.
import type { Severity } from '../../bus/payloads.ts';

export type RecoveryAction = 'log' | 'restart' | 'fatal';

/** Phases in which a failure means broken code or configuration, not a transient fault. */
export const FATAL_PHASES: ReadonlySet<string> = new Set(['compile', 'setup', 'validate', 'start', 'install']);

export function recoveryFor(severity: Severity, phase: string): RecoveryAction {
  if (severity === 'fatal' || FATAL_PHASES.has(phase)) return 'fatal';
  switch (severity) {
    case 'warning':
      return 'log';
    case 'degraded':
    case 'critical':
      return 'restart';
  }
}

/** Restarts per agent within a sliding window. */
export class RestartBudget {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #times = new Map<string, number[]>();

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  get max(): number {
    return this.#max;
  }

  /** Restarts used in the window, as of `now`. */
  used(name: string, now: number): number {
    const recent = (this.#times.get(name) ?? []).filter((t) => now - t < this.#windowMs);
    this.#times.set(name, recent);
    return recent.length;
  }

  /** Takes one restart if any is left; returns its number (1-based), or undefined when spent. */
  take(name: string, now: number): number | undefined {
    const used = this.used(name, now);
    if (used >= this.#max) return undefined;
    this.#times.get(name)!.push(now);
    return used + 1;
  }

  forget(name: string): void {
    this.#times.delete(name);
  }
}
