// A token bucket per webhook, so a flapping rule cannot flood a channel: `burst` notifications
// at once, then one per `refillMs`. What does not fit is dropped (not queued: a late "door
// opened" is worse than none) and counted, so the sender can say how many were lost.
import type { Clock } from '../../core/clock.ts';

export interface RateLimitOptions {
  /** Notifications allowed at once. */
  burst: number;
  /** One more allowed every refillMs. */
  refillMs: number;
}

// Discord allows a webhook 30 messages a minute and Slack about one a second; a home's rules
// need far fewer, so the bucket stays well inside both.
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 5, refillMs: 12_000 };

export class TokenBucket {
  readonly #clock: Clock;
  readonly #opts: RateLimitOptions;
  #tokens: number;
  #at: number;

  constructor(clock: Clock, opts: RateLimitOptions = DEFAULT_RATE_LIMIT) {
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
