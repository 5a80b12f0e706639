// A token bucket per webhook (core/token-bucket.ts), so a flapping rule cannot flood a channel:
// `burst` notifications at once, then one per `refillMs`. What does not fit is dropped (not
// queued: a late "door opened" is worse than none) and counted, so the sender can say how many
// were lost.
import type { RateLimitOptions } from '../../core/token-bucket.ts';

// Discord allows a webhook 30 messages a minute and Slack about one a second; a home's rules
// need far fewer, so the bucket stays well inside both.
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 5, refillMs: 12_000 };
