// Webhook mode, for a Wactorz that has a public HTTPS address (option telegram_webhook_url):
// Telegram POSTs each update to /api/channels/telegram/webhook instead of waiting for a long
// poll. setWebhook registers the URL with a random secret that Telegram sends back in the
// X-Telegram-Bot-Api-Secret-Token header; the access guard lets this one path through without
// our API key, so the route checks that header (constant time) before reading anything. The
// answer is 200 at once and the update is handled after it (Telegram retries slow webhooks);
// update ids already seen are dropped (a retry after a lost answer). Health: connected once
// setWebhook succeeded, failed on a refused token, retried with backoff otherwise.
import { randomBytes } from 'node:crypto';
import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { FastifyPluginAsync } from 'fastify';
import type { TimerHandle } from '../../core/clock.ts';
import { HttpError } from '../../http/errors.ts';
import { keysEqual } from '../../http/access-policy.ts';
import { classifyFailure } from './errors.ts';
import type { UpdateSourceOptions } from './poller.ts';
import { grammySignal } from './signal.ts';

export const TELEGRAM_WEBHOOK_PATH = '/api/channels/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const SEEN_LIMIT = 2000;

export interface WebhookSourceOptions extends UpdateSourceOptions {
  api: Pick<Api, 'getMe' | 'setWebhook'>;
  /** The public HTTPS URL Telegram posts to (it must reach TELEGRAM_WEBHOOK_PATH). */
  url: string;
}

export class WebhookSource {
  readonly #o: WebhookSourceOptions;
  /** Sent to Telegram with setWebhook; a new one each start, so an old registration stops working. */
  readonly #secret = randomBytes(32).toString('base64url');
  readonly #seen = new Set<number>();
  readonly #abort = new AbortController();
  #retry: TimerHandle | undefined;
  #delay: number;
  #registered = false;

  constructor(o: WebhookSourceOptions) {
    this.#o = o;
    this.#delay = o.backoff.initialMs;
  }

  /** Resolves after the first attempt to register (connected, failed, or retrying in the background). */
  async start(): Promise<void> {
    await this.#register();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#retry?.cancel();
  }

  /** The route Telegram posts to; registered by the runtime behind the access guard. */
  routes(): FastifyPluginAsync {
    return async (app) => {
      app.post(TELEGRAM_WEBHOOK_PATH, { bodyLimit: 1024 * 1024 }, async (req, reply) => {
        const given = req.headers[SECRET_HEADER];
        if (!this.#registered || typeof given !== 'string' || !keysEqual(given, this.#secret)) {
          throw new HttpError(401, 'invalid_secret', 'The X-Telegram-Bot-Api-Secret-Token header does not match');
        }
        const update = req.body as Partial<Update> | null;
        if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') throw new HttpError(400, 'invalid_update', 'The body is not a Telegram update');
        await reply.status(200).send({ ok: true });
        if (this.#seen.has(update.update_id)) return reply;
        if (this.#seen.size >= SEEN_LIMIT) this.#seen.clear();
        this.#seen.add(update.update_id);
        this.#o.onUpdate(update as Update).catch((err: unknown) => {
          this.#o.logger.error({ update: update.update_id, error: classifyFailure(err, this.#o.token).message }, 'telegram: an update could not be handled');
        });
        return reply;
      });
    };
  }

  async #register(): Promise<void> {
    const { api, logger } = this.#o;
    const signal = this.#abort.signal;
    if (signal.aborted) return;
    try {
      const me = await api.getMe(grammySignal(signal));
      await api.setWebhook(this.#o.url, { secret_token: this.#secret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false }, grammySignal(signal));
      await this.#o.onConnected(me);
      this.#registered = true;
      this.#delay = this.#o.backoff.initialMs;
      this.#o.onHealth({ state: 'connected', account: `@${me.username}` });
      logger.info({ account: `@${me.username}` }, 'telegram: connected, updates come to the webhook');
    } catch (err) {
      if (signal.aborted) return;
      const failure = classifyFailure(err, this.#o.token);
      if (failure.kind === 'unauthorized') {
        this.#o.onHealth({ state: 'failed', error: failure.message });
        logger.error({ error: failure.message }, 'telegram: the bot token was refused; the Telegram channel is stopped (the rest of Wactorz runs)');
        return;
      }
      const error = `${failure.message} (setting the webhook to ${this.#o.url}); retrying in ${Math.round(this.#delay / 1000)} s`;
      this.#o.onHealth({ state: 'reconnecting', error });
      logger.warn({ error }, 'telegram: the webhook could not be set');
      this.#retry = this.#o.clock.setTimeout(() => void this.#register(), this.#delay);
      this.#delay = Math.min(this.#delay * 2, this.#o.backoff.maxMs);
    }
  }
}
