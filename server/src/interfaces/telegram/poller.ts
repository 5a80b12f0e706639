// Long polling, written out rather than grammY's `bot.start()`: that loop retries a dropped
// connection every 3 s without telling anyone and handles one update at a time, so one slow turn
// would hold every other chat. Here the states are the channel's health (connected, reconnecting
// with exponential backoff, failed on a refused token, where retrying cannot help), each update
// is handed over as soon as it arrives (the channel queues turns per chat), and stop() aborts the
// pending getUpdates at once. A home rarely has a public URL, so this is the default; webhook.ts
// is the other source of updates, for one that has (telegram_webhook_url).
import type { Api } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import type { ChannelHealth } from '../channels/health.ts';
import { classifyFailure } from './errors.ts';
import { grammySignal } from './signal.ts';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** What both sources of updates (this poller, webhook.ts) are given by the channel. */
export interface UpdateSourceOptions {
  /** Only to redact it from error text. */
  token: string;
  clock: Clock;
  logger: Logger;
  backoff: Backoff;
  /** Once per start, after getMe: the bot's identity, its command menu. */
  onConnected(me: UserFromGetMe): Promise<void>;
  /** Each update in order; must not wait for a turn to finish. */
  onUpdate(update: Update): Promise<void>;
  onHealth(health: ChannelHealth): void;
}

export interface PollerOptions extends UpdateSourceOptions {
  api: Pick<Api, 'getMe' | 'deleteWebhook' | 'getUpdates'>;
  /** getUpdates' `timeout`: how long Telegram holds a poll open when nothing happens. */
  timeoutSeconds: number;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export class UpdatePoller {
  readonly #o: PollerOptions;
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #timer: TimerHandle | undefined;
  /** The next update id to ask for; every id below it is handled. */
  #offset = 0;
  /** The offset of the last answered getUpdates: Telegram has forgotten the updates below it. */
  #confirmed = 0;
  #me: UserFromGetMe | undefined;

  constructor(o: PollerOptions) {
    this.#o = o;
  }

  /** Resolves after the first attempt to connect (connected, failed, or retrying in the background). */
  async start(): Promise<void> {
    if (this.#loop) return;
    const abort = new AbortController();
    this.#abort = abort;
    let firstOutcome!: () => void;
    const first = new Promise<void>((resolve) => (firstOutcome = resolve));
    this.#loop = this.#run(abort.signal, firstOutcome).finally(firstOutcome);
    await first;
  }

  async stop(): Promise<void> {
    const abort = this.#abort;
    if (!abort) return;
    abort.abort();
    this.#timer?.cancel();
    this.#wake?.();
    await this.#loop;
    this.#abort = undefined;
    this.#loop = undefined;
    await this.#confirm();
  }

  async #run(signal: AbortSignal, firstOutcome: () => void): Promise<void> {
    const { api, logger } = this.#o;
    let delay = this.#o.backoff.initialMs;
    let down: string | undefined;
    while (!signal.aborted) {
      try {
        if (!this.#me) {
          const me = await api.getMe(grammySignal(signal));
          // A webhook set earlier (by another tool) makes getUpdates fail with 409.
          await api.deleteWebhook({ drop_pending_updates: false }, grammySignal(signal));
          await this.#o.onConnected(me);
          this.#me = me;
          this.#o.onHealth({ state: 'connected', account: `@${me.username}` });
          logger.info({ account: `@${me.username}` }, 'telegram: connected, polling for messages');
          firstOutcome();
        }
        // After a failure the first poll returns at once, so health says "connected" as soon as
        // Telegram answers rather than when the next long poll ends.
        const timeout = down === undefined ? this.#o.timeoutSeconds : 0;
        const offset = this.#offset;
        const updates = await api.getUpdates({ offset, timeout, allowed_updates: [...ALLOWED_UPDATES] }, grammySignal(signal));
        // Only an answer proves Telegram saw the offset; a poll cut by stop() may never have arrived.
        this.#confirmed = offset;
        if (down !== undefined) {
          this.#o.onHealth({ state: 'connected', account: `@${this.#me.username}` });
          logger.info({ account: `@${this.#me.username}` }, 'telegram: reconnected');
          down = undefined;
        }
        delay = this.#o.backoff.initialMs;
        for (const update of updates) {
          // Stopping: what is not handled stays unconfirmed, and comes again after a restart.
          if (signal.aborted) break;
          this.#offset = Math.max(this.#offset, update.update_id + 1);
          try {
            await this.#o.onUpdate(update);
          } catch (err) {
            logger.error({ update: update.update_id, error: classifyFailure(err, this.#o.token).message }, 'telegram: an update could not be handled');
          }
        }
      } catch (err) {
        if (signal.aborted) break;
        const failure = classifyFailure(err, this.#o.token);
        if (failure.kind === 'unauthorized') {
          this.#o.onHealth({ state: 'failed', error: failure.message, ...(this.#me ? { account: `@${this.#me.username}` } : {}) });
          logger.error({ error: failure.message }, 'telegram: the bot token was refused; the Telegram channel is stopped (the rest of Wactorz runs)');
          return;
        }
        if (failure.kind === 'rate') {
          await this.#sleep(failure.retryAfterSeconds * 1000, signal);
          continue;
        }
        if (down !== failure.message) {
          logger.warn({ error: failure.message, retryInMs: delay }, 'telegram: connection problem, retrying');
          down = failure.message;
        }
        this.#o.onHealth({ state: 'reconnecting', error: failure.message, ...(this.#me ? { account: `@${this.#me.username}` } : {}) });
        firstOutcome();
        await this.#sleep(delay, signal);
        delay = Math.min(delay * 2, this.#o.backoff.maxMs);
      }
    }
  }

  /**
   * Tells Telegram that the updates handled since the last poll are done, so a restart does not
   * deliver them again (a repeated "open the garage" would be a bad surprise). Best effort.
   */
  async #confirm(): Promise<void> {
    if (this.#offset <= this.#confirmed) return;
    const abort = new AbortController();
    const timer = this.#o.clock.setTimeout(() => abort.abort(), 5000);
    try {
      await this.#o.api.getUpdates({ offset: this.#offset, limit: 1, timeout: 0 }, grammySignal(abort.signal));
      this.#confirmed = this.#offset;
    } catch {
      // The updates come again after a restart; nothing else is lost.
    } finally {
      timer.cancel();
    }
  }

  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      this.#wake = () => {
        this.#timer?.cancel();
        this.#timer = undefined;
        this.#wake = undefined;
        resolve();
      };
      this.#timer = this.#o.clock.setTimeout(this.#wake, ms);
    });
  }
}
