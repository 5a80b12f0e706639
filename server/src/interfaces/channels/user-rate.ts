// Turns per person per minute on a chat channel: every turn may cost LLM money, and a stuck
// client (or a person holding a key down) must not spend the budget. A sliding window per user;
// the refusal says when the next message will be taken.

export class UserRateLimit {
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #seen = new Map<string, number[]>();

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#perMinute = perMinute;
    this.#now = now;
  }

  /** Undefined when the turn may run (and counts it); otherwise the seconds to wait. */
  take(user: string): number | undefined {
    const now = this.#now();
    const recent = (this.#seen.get(user) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.#perMinute) {
      this.#seen.set(user, recent);
      return Math.max(1, Math.ceil((60_000 - (now - recent[0])) / 1000));
    }
    recent.push(now);
    this.#seen.set(user, recent);
    return undefined;
  }
}
