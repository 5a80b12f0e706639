// Token bucket on the injected clock: `burst` at once, then one more every `refillMs`. Shared by
// the sandbox (an agent's log lines) and the webhook sender (notifications per webhook).
import type { Clock } from './clock.ts';

export interface RateLimitOptions {
  /** Allowed at once. */
  burst: number;
  /** One more allowed every refillMs. */
  refillMs: number;
}

export class TokenBucket {
  readonly #clock: Clock;
  readonly #opts: RateLimitOptions;
  #tokens: number;
  #at: number;

  constructor(clock: Clock, opts: RateLimitOptions) {
    if (!(opts.burst >= 1) || !(opts.refillMs > 0)) throw new Error(`Invalid rate limit: burst ${opts.burst} must be at least 1 and refillMs ${opts.refillMs} above 0`);
    this.#clock = clock;
    this.#opts = opts;
    this.#tokens = opts.burst;
    this.#at = clock.now();
  }

  /** Takes a token if there is one. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token (0 when one is there). */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) * this.#opts.refillMs);
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#opts.burst, this.#tokens + Math.max(0, now - this.#at) / this.#opts.refillMs);
    this.#at = now;
  }
}
