// Flood control: the Bot API answers 429 with `parameters.retry_after` (seconds) when a bot sends
// or edits too fast (about one message a second per chat, twenty a minute per group). A final
// answer or a notification must still arrive, so every call except getUpdates (the poller has
// its own backoff) waits as asked and tries again, a few times and never for long; a streaming
// edit that fails this way is simply skipped by its caller (live-message.ts).
import type { Transformer } from 'grammy';
import type { Clock } from '../../core/clock.ts';
import type { GrammySignal } from './signal.ts';

export interface RetryAfterOptions {
  clock: Clock;
  /** Tries after the first 429. */
  maxRetries?: number;
  /** A longer wait is not waited for: the 429 is returned to the caller. */
  maxWaitSeconds?: number;
  /** Methods that handle 429 themselves. */
  skip?: readonly string[];
}

export function retryAfter(opts: RetryAfterOptions): Transformer {
  const maxRetries = opts.maxRetries ?? 3;
  const maxWait = opts.maxWaitSeconds ?? 30;
  const skip = new Set(opts.skip ?? ['getUpdates']);
  return async (prev, method, payload, signal) => {
    let res = await prev(method, payload, signal);
    for (let tries = 0; tries < maxRetries && !skip.has(method); tries++) {
      if (res.ok || res.error_code !== 429) break;
      const wait = res.parameters?.retry_after ?? 1;
      if (wait > maxWait || signal?.aborted) break;
      await sleep(opts.clock, wait * 1000, signal);
      res = await prev(method, payload, signal);
    }
    return res;
  };
}

function sleep(clock: Clock, ms: number, signal: GrammySignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      timer.cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
