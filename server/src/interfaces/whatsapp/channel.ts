// The WhatsApp channel: the webhook hands it the messages Meta delivered, and it runs one
// orchestrator turn per message, one at a time per person, in the person's own conversation
// (`whatsapp-<number>`). Only allowed numbers get turns; anyone else gets one polite refusal and
// nothing runs. Meta redelivers a webhook it thinks failed, so message ids already seen are
// dropped. WhatsApp keeps no connection: health is whether Meta accepts the token (GET
// /{phone-number-id} at start, retried with backoff while Meta is unreachable; a refused token
// stops the channel until the options change).
import type { ImagePart } from '../../llm/messages.ts';
import { systemClock, type Clock, type TimerHandle } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import type { ChatChannel, TurnRunner } from '../channels/channel.ts';
import type { ChannelHealth } from '../channels/health.ts';
import { splitMessage } from '../channels/split.ts';
import { UserRateLimit } from '../channels/user-rate.ts';
import { answerMessages, buttonTurnText, collectTurn, TEXT_LIMIT, type Outgoing } from './answer.ts';
import { GraphApi, GraphError } from './graph-api.ts';
import type { Inbound } from './payload.ts';

export interface WhatsAppSettings {
  accessToken: string;
  phoneNumberId: string;
  allowedNumbers: readonly string[];
  apiRoot: string;
}

export interface WhatsAppChannelOptions {
  settings: WhatsAppSettings;
  runner: TurnRunner;
  logger: Logger;
  fetchImpl?: typeof fetch;
  clock?: Clock;
  /** Turns per person per minute (each may cost LLM money). */
  perMinute?: number;
}

const REFUSAL = 'Sorry, this Wactorz home assistant only talks to the numbers its owner has allowed. Nothing was done.';
const TEXT_ONLY = 'I can read text messages and photos, not this kind of message; please type what you would like me to do.';
/** Ids kept for de-duplication; Meta redelivers within hours, and a home sees few messages. */
const SEEN_LIMIT = 2000;
const BACKOFF_MS = [1_000, 5_000, 15_000, 60_000, 300_000];

export class WhatsAppChannel implements ChatChannel {
  readonly name = 'whatsapp' as const;
  readonly #opts: WhatsAppChannelOptions;
  readonly #graph: GraphApi;
  readonly #clock: Clock;
  readonly #allowed: Set<string>;
  readonly #rate: UserRateLimit;
  #health: ChannelHealth = { state: 'starting' };
  #retry: TimerHandle | undefined;
  #attempt = 0;
  #stopped = false;
  readonly #abort = new AbortController();
  readonly #seen = new Set<string>();
  readonly #refused = new Set<string>();
  readonly #queues = new Map<string, Promise<void>>();
  readonly #inflight = new Set<Promise<void>>();

  constructor(opts: WhatsAppChannelOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#graph = new GraphApi({ ...opts.settings, fetchImpl: opts.fetchImpl });
    this.#allowed = new Set(opts.settings.allowedNumbers.map(digits));
    this.#rate = new UserRateLimit(opts.perMinute ?? 20, () => this.#clock.now());
  }

  async start(): Promise<void> {
    await this.#checkToken();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#retry?.cancel();
    this.#abort.abort();
    await Promise.allSettled([...this.#inflight]);
  }

  health(): ChannelHealth {
    return { ...this.#health };
  }

  async send(to: string, text: string, signal?: AbortSignal): Promise<void> {
    const number = digits(to);
    if (!this.#allowed.has(number)) throw new Error(`${to} is not an allowed WhatsApp number (add it to whatsapp_allowed_numbers)`);
    for (const body of splitMessage(text, TEXT_LIMIT)) await this.#deliver(number, { kind: 'text', body }, signal);
  }

  /** Called by the webhook once Meta's signature checked out; returns at once. */
  receive(messages: readonly Inbound[]): void {
    for (const m of messages) {
      if (this.#stopped || this.#seen.has(m.id)) continue;
      this.#remember(m.id);
      const previous = this.#queues.get(m.from) ?? Promise.resolve();
      const next = previous.then(() => this.#handle(m)).catch((err: unknown) => this.#opts.logger.warn({ err }, 'whatsapp message could not be answered'));
      this.#queues.set(m.from, next);
      this.#inflight.add(next);
      void next.finally(() => {
        this.#inflight.delete(next);
        if (this.#queues.get(m.from) === next) this.#queues.delete(m.from);
      });
    }
  }

  async #handle(m: Inbound): Promise<void> {
    const signal = this.#abort.signal;
    if (this.#stopped) return;
    if (this.#health.state === 'failed') {
      this.#opts.logger.warn({ error: this.#health.error }, 'whatsapp message dropped: the channel is stopped');
      return;
    }
    if (!this.#allowed.has(m.from)) {
      this.#opts.logger.info({ from: m.from }, 'whatsapp message from a number not in whatsapp_allowed_numbers refused');
      // One refusal per number: a stranger writing again costs nothing more.
      if (this.#refused.has(m.from)) return;
      if (this.#refused.size >= SEEN_LIMIT) this.#refused.clear();
      this.#refused.add(m.from);
      await this.#deliver(m.from, { kind: 'text', body: REFUSAL }, signal);
      return;
    }
    if (m.kind === 'media' || m.kind === 'other') {
      await this.#deliver(m.from, { kind: 'text', body: TEXT_ONLY }, signal);
      return;
    }
    const wait = this.#rate.take(m.from);
    if (wait !== undefined) {
      await this.#deliver(m.from, { kind: 'text', body: `That is more messages than I take in a minute; try again in ${wait} s.` }, signal);
      return;
    }
    const text = m.kind === 'text' ? m.text.trim() : m.kind === 'image' ? m.caption || 'What is in this picture?' : buttonTurnText(m.buttonId, m.title);
    if (text === '') return;
    let images: ImagePart[] | undefined;
    if (m.kind === 'image') {
      try {
        images = [{ type: 'image', ...(await this.#graph.image(m.mediaId, signal)) }];
      } catch (err) {
        this.#opts.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'whatsapp photo could not be fetched');
        await this.#deliver(m.from, { kind: 'text', body: 'I could not fetch that photo from WhatsApp; please send it again.' }, signal);
        return;
      }
    }
    // Read receipt and typing indicator while the turn runs; a refusal costs only the ticks.
    this.#graph.markRead(m.id, signal).catch((err: unknown) => this.#opts.logger.debug({ err }, 'whatsapp read receipt failed'));
    const result = await collectTurn(
      this.#opts.runner.process(text, { user: { id: `whatsapp:${m.from}`, ...(m.name ? { name: m.name } : {}) }, channel: 'whatsapp', conversationId: `whatsapp-${m.from}`, signal, ...(images ? { images } : {}) }),
    ).catch((err: unknown) => ({ reply: '', error: err instanceof Error ? err.message : String(err) }));
    if (signal.aborted) return;
    for (const out of answerMessages(result)) await this.#deliver(m.from, out, signal);
  }

  async #deliver(to: string, out: Outgoing, signal?: AbortSignal): Promise<void> {
    try {
      if (out.kind === 'text') await this.#graph.sendText(to, out.body, signal);
      else await this.#graph.sendButtons(to, out.body, out.buttons, signal);
    } catch (err) {
      if (err instanceof GraphError && err.tokenRefused) this.#fail(err.message);
      throw err;
    }
  }

  async #checkToken(): Promise<void> {
    if (this.#stopped) return;
    try {
      const info = await this.#graph.phoneNumber(this.#abort.signal);
      const account = [info.verified_name, info.display_phone_number].filter(Boolean).join(' ');
      this.#attempt = 0;
      this.#health = { state: 'connected', ...(account ? { account } : {}) };
    } catch (err) {
      if (this.#stopped) return;
      // A 4xx other than 429 (the token, a wrong phone number id) is refused the same way again.
      if (err instanceof GraphError && (err.tokenRefused || (err.status >= 400 && err.status < 500 && err.status !== 429))) {
        this.#fail(err.message);
        return;
      }
      const delay = BACKOFF_MS[Math.min(this.#attempt, BACKOFF_MS.length - 1)];
      this.#attempt += 1;
      const error = `WhatsApp is not reachable (${err instanceof Error ? err.message : String(err)}); retrying in ${Math.round(delay / 1000)} s`;
      this.#health = { state: 'reconnecting', error };
      this.#opts.logger.warn({ attempt: this.#attempt }, error);
      this.#retry = this.#clock.setTimeout(() => void this.#checkToken(), delay);
    }
  }

  #fail(error: string): void {
    if (this.#health.state !== 'failed') this.#opts.logger.error({ error }, 'whatsapp channel stopped; the rest of Wactorz runs');
    this.#health = { state: 'failed', error };
  }

  #remember(id: string): void {
    this.#seen.add(id);
    // Sets iterate in insertion order: the first id is the oldest.
    if (this.#seen.size > SEEN_LIMIT) this.#seen.delete(this.#seen.values().next().value as string);
  }
}

function digits(number: string): string {
  return number.replace(/\D/g, '');
}
