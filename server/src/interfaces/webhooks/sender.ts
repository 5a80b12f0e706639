// Delivers a notification to a saved webhook (`webhook:slack`): the body its service expects
// (format.ts), a deadline per request, redirects followed only on the same host, at most a few
// notifications per webhook at a time (rate-limit.ts). The URL is a secret: errors and log lines
// carry the store's masked form only (webhook-urls.ts maskWebhook).
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import { maskWebhook } from '../../agents/main/memory/webhook-urls.ts';
import { webhookFormatOf, webhookRequests, type WebhookRequest } from './format.ts';
import { TokenBucket, type RateLimitOptions } from '../../core/token-bucket.ts';
import { DEFAULT_RATE_LIMIT } from './rate-limit.ts';
import { parseWebhookTarget } from '../../agents/ha/service-calls.ts';
import { webhookTargets, type WebhookSource } from './targets.ts';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;
const ERROR_BODY_CHARS = 200;

export interface WebhookSenderOptions {
  source: WebhookSource;
  clock: Clock;
  fetchImpl?: typeof fetch;
  logger?: Logger;
  timeoutMs?: number;
  rateLimit?: RateLimitOptions;
}

export interface WebhookStats {
  sent: number;
  failed: number;
  /** Dropped by the rate limit. */
  dropped: number;
  /** Why the latest failed send failed (masked like every error here), and when (ms). */
  lastError?: { at: number; message: string };
}

export class WebhookSender {
  readonly #source: WebhookSource;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;
  readonly #logger: Logger | undefined;
  readonly #timeoutMs: number;
  readonly #rateLimit: RateLimitOptions;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #stats = new Map<string, WebhookStats>();

  constructor(opts: WebhookSenderOptions) {
    this.#source = opts.source;
    this.#clock = opts.clock;
    this.#fetch = opts.fetchImpl ?? fetch;
    this.#logger = opts.logger;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    this.#rateLimit = opts.rateLimit ?? DEFAULT_RATE_LIMIT;
  }

  /** The `webhook:<name>` targets there are now. */
  targets(): string[] {
    return webhookTargets(this.#source);
  }

  /** Per webhook name: sent, failed, dropped since the start, and the last failure. */
  stats(): Record<string, WebhookStats> {
    return Object.fromEntries([...this.#stats].map(([name, s]) => [name, copyOf(s)]));
  }

  /** One webhook's counts (undefined before its first notification since the start). */
  statsOf(name: string): WebhookStats | undefined {
    const s = this.#stats.get(name);
    return s && copyOf(s);
  }

  /** A notification to `webhook:<name>`; resolves once the service accepted it, rejects with why not. */
  async notify(target: string, title: string | undefined, message: string, signal?: AbortSignal): Promise<void> {
    const name = parseWebhookTarget(target);
    if (name === undefined) throw new Error(`"${target}" is not a webhook target; use webhook:<name>`);
    if (name === '') throw new Error('webhook: needs a name, e.g. webhook:slack');
    await this.send(name, title, message, signal);
  }

  async send(name: string, title: string | undefined, message: string, signal?: AbortSignal): Promise<void> {
    if (message.trim() === '') throw new Error(`webhook:${name}: the message is empty`);
    const raw = this.#source.url(name);
    if (raw === undefined) {
      const saved = this.targets();
      throw new Error(`No webhook named "${name}" is saved; ${saved.length ? `saved: ${saved.join(', ')}` : 'none is saved'} (save one with /webhook <service> <url>)`);
    }
    const masked = maskWebhook(raw);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`webhook:${name} (${masked}) is not a valid URL; save it again with /webhook`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`webhook:${name} (${masked}) is not an http(s) URL`);
    const stats = this.#statsOf(name);
    if (!this.#bucket(name).take()) {
      stats.dropped++;
      const waitS = Math.ceil(this.#bucket(name).waitMs() / 1000);
      this.#logger?.warn({ webhook: name, url: masked, dropped: stats.dropped }, 'webhook notification dropped by the rate limit');
      throw new Error(`webhook:${name}: too many notifications, this one was dropped (${stats.dropped} dropped so far; at most ${this.#rateLimit.burst} at once, then one every ${this.#rateLimit.refillMs / 1000} s; next in ${waitS} s)`);
    }
    const requests = webhookRequests(webhookFormatOf(url), url, title, message);
    try {
      for (const [i, req] of requests.entries()) {
        const part = requests.length > 1 ? ` (part ${i + 1} of ${requests.length})` : '';
        await this.#post(url, req, signal, `webhook:${name} (${masked})${part}`, raw);
      }
      stats.sent++;
    } catch (err) {
      stats.failed++;
      const reason = err instanceof Error ? err.message : String(err);
      // Shown by /webhook: masked again, in case a cause quoted the URL in a form #post missed.
      stats.lastError = { at: this.#clock.now(), message: hide(reason, raw) };
      this.#logger?.warn({ webhook: name, err: reason }, 'webhook notification failed');
      throw err instanceof Error ? err : new Error(reason);
    }
  }

  async #post(start: URL, req: WebhookRequest, signal: AbortSignal | undefined, label: string, secret: string): Promise<void> {
    const deadline = new AbortController();
    const timer = this.#clock.setTimeout(() => deadline.abort(), this.#timeoutMs);
    const both = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    try {
      let url = start;
      for (let hop = 0; ; hop++) {
        let res: Response;
        try {
          res = await this.#fetch(url, { method: 'POST', headers: { 'content-type': req.contentType, ...req.headers }, body: req.body, redirect: 'manual', signal: both });
        } catch (err) {
          if (deadline.signal.aborted) throw new Error(`${label}: no answer within ${this.#timeoutMs / 1000} s`, { cause: err });
          if (signal?.aborted) throw new Error(`${label}: cancelled`, { cause: err });
          throw new Error(`${label}: could not be reached (${hide(causeOf(err), secret)})`, { cause: err });
        }
        if (res.status >= 300 && res.status < 400) {
          await res.body?.cancel();
          const location = res.headers.get('location');
          const next = location ? new URL(location, url) : undefined;
          // A webhook that moves to another host could hand the message (and the next one) to
          // anyone; the same host is the service's own business.
          if (!next || next.host !== start.host || next.protocol !== start.protocol) throw new Error(`${label}: HTTP ${res.status} redirect to ${next ? `${next.protocol}//${next.host}` : 'nowhere'}, not followed (only redirects on the same host are)`);
          if (hop >= MAX_REDIRECTS) throw new Error(`${label}: more than ${MAX_REDIRECTS} redirects`);
          url = next;
          continue;
        }
        if (!res.ok) {
          const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS);
          throw new Error(`${label}: HTTP ${res.status}${text ? ` ${hide(text, secret)}` : ''}`);
        }
        await res.body?.cancel();
        return;
      }
    } finally {
      timer.cancel();
    }
  }

  #bucket(name: string): TokenBucket {
    let b = this.#buckets.get(name);
    if (!b) this.#buckets.set(name, (b = new TokenBucket(this.#clock, this.#rateLimit)));
    return b;
  }

  #statsOf(name: string): WebhookStats {
    let s = this.#stats.get(name);
    if (!s) this.#stats.set(name, (s = { sent: 0, failed: 0, dropped: 0 }));
    return s;
  }
}

function copyOf(s: WebhookStats): WebhookStats {
  return { ...s, ...(s.lastError ? { lastError: { ...s.lastError } } : {}) };
}

/** fetch's "fetch failed" says nothing; its cause (ECONNREFUSED, certificate…) does. */
function causeOf(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Whatever a service or the network echoes back must not carry the URL or its secret path. */
function hide(text: string, url: string): string {
  const u = new URL(url);
  let out = text.split(url).join(maskWebhook(url));
  for (const secret of [u.pathname.length > 1 ? u.pathname : '', u.search].filter((s) => s.length > 4)) out = out.split(secret).join('…');
  return out;
}
