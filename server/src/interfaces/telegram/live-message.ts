// An answer that grows while the model writes it: the first text is sent as a message, later
// text edits it. The Bot API allows about one edit a second per chat (more earns a 429 and a
// wait), so edits are throttled to one per `intervalMs` and always carry everything written so
// far; the deltas between two edits cost nothing. Past Telegram's 4096 characters the answer
// continues in a new message: each flush lays the text out with splitMessage and edits or sends
// whichever parts differ from what the chat shows, so the parts end up exactly the final reply.
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import { splitMessage } from '../channels/split.ts';
import { isNotModified } from './errors.ts';

export const TELEGRAM_TEXT_LIMIT = 4096;

/** The part of grammY's Api this needs (a narrow port, so tests can script it). */
export interface MessageApi {
  sendMessage(chatId: number, text: string, other?: { reply_markup?: InlineKeyboardMarkup; link_preview_options?: { is_disabled?: boolean } }): Promise<{ message_id: number }>;
  editMessageText(chatId: number, messageId: number, text: string, other?: { reply_markup?: InlineKeyboardMarkup; link_preview_options?: { is_disabled?: boolean } }): Promise<unknown>;
  editMessageReplyMarkup(chatId: number, messageId: number, other?: { reply_markup?: InlineKeyboardMarkup }): Promise<unknown>;
}

export interface LiveMessageOptions {
  api: MessageApi;
  chatId: number;
  clock: Clock;
  logger: Logger;
  /** Minimum time between two flushes while streaming. */
  intervalMs: number;
  limit?: number;
}

export interface ShownMessage {
  id: number;
  text: string;
}

export class LiveMessage {
  readonly #o: LiveMessageOptions;
  readonly #limit: number;
  #text = '';
  readonly #shown: ShownMessage[] = [];
  #timer: TimerHandle | undefined;
  #flushing: Promise<void> | undefined;
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  #finished = false;

  constructor(o: LiveMessageOptions) {
    this.#o = o;
    this.#limit = o.limit ?? TELEGRAM_TEXT_LIMIT;
  }

  /** True once some text is in the chat (the typing indicator can stop). */
  get started(): boolean {
    return this.#shown.length > 0;
  }

  append(delta: string): void {
    if (this.#finished || delta === '') return;
    this.#text += delta;
    this.#schedule();
  }

  /**
   * Shows `reply` exactly (the turn's `done.reply`, which the deltas add up to), with `markup`
   * under its last part, and returns the messages it fills. Errors reach the caller: an answer
   * that could not be delivered is not silently lost.
   */
  async finish(reply: string, markup?: InlineKeyboardMarkup): Promise<ShownMessage[]> {
    this.#finished = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#flushing;
    this.#text = reply;
    await this.#flush(markup);
    return this.#shown.map((s) => ({ ...s }));
  }

  /** Stops pending edits (the turn was cancelled); what is shown stays. */
  cancel(): void {
    this.#finished = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#timer || this.#flushing) return;
    const wait = Math.max(0, this.#lastFlushAt + this.#o.intervalMs - this.#o.clock.now());
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      const flushing = this.#flush().catch((err: unknown) => {
        // A streaming edit that fails (flood control past its retries, a network blip) is only a
        // missed intermediate view: the final flush shows everything.
        this.#o.logger.debug({ chat: this.#o.chatId, error: err instanceof Error ? err.message : String(err) }, 'telegram: streaming edit skipped');
      });
      this.#flushing = flushing.finally(() => {
        this.#flushing = undefined;
        if (!this.#finished && this.#pending()) this.#schedule();
      });
    }, wait);
  }

  /** Whether the text differs from what the chat shows. */
  #pending(): boolean {
    const parts = this.#layout();
    return parts.length !== this.#shown.length || parts.some((p, i) => this.#shown[i]?.text !== p);
  }

  #layout(): string[] {
    if (this.#text.trim() === '') return [];
    return splitMessage(this.#text, this.#limit).filter((p) => p.trim() !== '');
  }

  async #flush(markup?: InlineKeyboardMarkup): Promise<void> {
    this.#lastFlushAt = this.#o.clock.now();
    const parts = this.#layout();
    const { api, chatId } = this.#o;
    for (let i = 0; i < parts.length; i++) {
      const text = parts[i];
      const last = i === parts.length - 1;
      const extra = { link_preview_options: { is_disabled: true }, ...(last && markup ? { reply_markup: markup } : {}) };
      const shown = this.#shown[i];
      if (!shown) {
        const sent = await api.sendMessage(chatId, text, extra);
        this.#shown.push({ id: sent.message_id, text });
      } else if (shown.text !== text) {
        try {
          await api.editMessageText(chatId, shown.id, text, extra);
        } catch (err) {
          if (!isNotModified(err)) throw err;
        }
        shown.text = text;
      } else if (last && markup) {
        await api.editMessageReplyMarkup(chatId, shown.id, { reply_markup: markup });
      }
    }
  }
}
