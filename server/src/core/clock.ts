// Injected time. Everything that waits (heartbeats, ask timeouts, restart windows, schedules,
// budgets) takes a Clock, so tests advance a ManualClock instead of sleeping.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs fn once after ms. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Runs fn every ms until cancelled. */
  setInterval(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref?.();
    return { cancel: () => clearInterval(t) };
  },
};

interface Scheduled {
  id: number;
  at: number;
  every: number | undefined;
  fn: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires due timers in time order (timers
 * scheduled by a firing timer fire too if they fall within the advanced span), and awaits a
 * microtask turn after each so promise chains triggered by a timer run before the next one.
 */
export class ManualClock implements Clock {
  #current: number;
  #timers = new Map<number, Scheduled>();
  #nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    this.#current = start;
  }

  now(): number {
    return this.#current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#schedule(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.#schedule(fn, ms, Math.max(1, ms));
  }

  /** Number of pending timers (lets tests assert that stop() released everything). */
  pending(): number {
    return this.#timers.size;
  }

  async advance(ms: number): Promise<void> {
    const target = this.#current + ms;
    for (;;) {
      const due = [...this.#timers.values()].filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#current = Math.max(this.#current, due.at);
      if (due.every !== undefined) due.at += due.every;
      else this.#timers.delete(due.id);
      due.fn();
      await flushMicrotasks();
    }
    this.#current = target;
    await flushMicrotasks();
  }

  /** Jumps to an absolute time (for schedule tests), firing what falls due on the way. */
  async setTime(ms: number): Promise<void> {
    await this.advance(Math.max(0, ms - this.#current));
  }

  #schedule(fn: () => void, ms: number, every: number | undefined): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at: this.#current + Math.max(0, ms), every, fn });
    return { cancel: () => void this.#timers.delete(id) };
  }
}

/** Lets already-resolved promise chains run (a few turns, for chains of awaits). */
export async function flushMicrotasks(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
