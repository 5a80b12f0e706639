// Timeouts, cancellation and retries around any provider. The SDKs' own retry loops are turned
// off (they sleep on the wall clock and cannot be driven by tests); this one waits through an
// injected sleep, honours retry-after, and never retries once a stream has produced output
// (the caller has already shown those words to the user).
import type { Clock } from '../core/clock.ts';
import { LlmError, PROVIDER_LABELS } from './errors.ts';
import type { LlmMessage } from './messages.ts';
import type { LlmProvider, ProviderCallOptions, ProviderResult, StreamDelta } from './types.ts';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface ResilienceOptions {
  clock: Clock;
  /** How a backoff waits; defaults to the clock. Tests pass one that records and returns at once. */
  sleep?: Sleep;
  /** Attempts after the first, on 429, 5xx and network errors. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A retry-after longer than this is not waited for: the error surfaces instead. */
  maxRetryAfterMs?: number;
  /** Default per-attempt timeout (for streams: the longest silence between deltas). */
  timeoutMs?: number;
}

export const RESILIENCE_DEFAULTS = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 120_000,
} as const;

export function clockSleep(clock: Clock): Sleep {
  return (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = () => {
        timer.cancel();
        reject(signal?.reason as Error);
      };
      const timer = clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}

export function withResilience(provider: LlmProvider, options: ResilienceOptions): LlmProvider {
  const cfg = { ...RESILIENCE_DEFAULTS, ...definedOnly(options) };
  const sleep = options.sleep ?? clockSleep(options.clock);
  const label = PROVIDER_LABELS[provider.name];

  /** Runs one attempt under its own timeout, and turns whatever it threw into an LlmError. */
  const attemptSignal = (userSignal: AbortSignal | undefined, timeoutMs: number) => {
    const controller = new AbortController();
    let timer = options.clock.setTimeout(() => controller.abort(), timeoutMs);
    return {
      signal: userSignal ? AbortSignal.any([userSignal, controller.signal]) : controller.signal,
      timedOut: () => controller.signal.aborted && !userSignal?.aborted,
      pause: () => timer.cancel(),
      rearm: () => {
        timer.cancel();
        timer = options.clock.setTimeout(() => controller.abort(), timeoutMs);
      },
    };
  };

  const classify = (err: unknown, userSignal: AbortSignal | undefined, timedOut: boolean, timeoutMs: number): LlmError => {
    if (userSignal?.aborted) return new LlmError(`The ${label} call was cancelled.`, { kind: 'aborted', provider: provider.name });
    if (timedOut) return new LlmError(`${label} did not answer within ${formatSeconds(timeoutMs)}.`, { kind: 'timeout', provider: provider.name });
    if (err instanceof LlmError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new LlmError(`${label} call failed: ${message}`, { kind: 'invalid_response', provider: provider.name });
  };

  const backoff = async (err: LlmError, attempt: number, userSignal: AbortSignal | undefined): Promise<void> => {
    if (!err.retryable || attempt >= cfg.maxRetries) throw err;
    if (err.retryAfterMs !== undefined && err.retryAfterMs > cfg.maxRetryAfterMs) throw err;
    const delay = err.retryAfterMs ?? Math.min(cfg.baseDelayMs * 2 ** attempt, cfg.maxDelayMs);
    try {
      await sleep(delay, userSignal);
    } catch {
      throw classify(undefined, userSignal, false, 0);
    }
  };

  return {
    name: provider.name,

    async complete(messages: readonly LlmMessage[], system: string | undefined, call: ProviderCallOptions): Promise<ProviderResult> {
      const timeoutMs = call.timeoutMs ?? cfg.timeoutMs;
      for (let attempt = 0; ; attempt++) {
        if (call.signal?.aborted) throw classify(undefined, call.signal, false, timeoutMs);
        const a = attemptSignal(call.signal, timeoutMs);
        try {
          return await provider.complete(messages, system, { ...call, signal: a.signal });
        } catch (err) {
          await backoff(classify(err, call.signal, a.timedOut(), timeoutMs), attempt, call.signal);
        } finally {
          a.pause();
        }
      }
    },

    async *stream(messages: readonly LlmMessage[], system: string | undefined, call: ProviderCallOptions): AsyncGenerator<StreamDelta> {
      const timeoutMs = call.timeoutMs ?? cfg.timeoutMs;
      for (let attempt = 0; ; attempt++) {
        if (call.signal?.aborted) throw classify(undefined, call.signal, false, timeoutMs);
        const a = attemptSignal(call.signal, timeoutMs);
        let yielded = false;
        try {
          for await (const delta of provider.stream(messages, system, { ...call, signal: a.signal })) {
            // The timeout measures the provider's silence, not the time our consumer takes.
            a.pause();
            yielded = true;
            yield delta;
            a.rearm();
          }
          // Some SDKs end a stream quietly when its signal aborts: that is not a success.
          if (a.signal.aborted) throw classify(undefined, call.signal, a.timedOut(), timeoutMs);
          return;
        } catch (err) {
          const e = classify(err, call.signal, a.timedOut(), timeoutMs);
          if (yielded) throw e;
          await backoff(e, attempt, call.signal);
        } finally {
          a.pause();
        }
      }
    },
  };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
