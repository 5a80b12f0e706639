// The Telegram channel: a grammY bot on long polling, talking to the people on
// telegram_allowed_users and to nobody else. Each chat is one conversation (`telegram-<chat id>`)
// of the person writing (`telegram:<user id>`), on the owner's `telegram` channel (trust.ts): an
// allowed person may confirm locks and approve plans, with buttons or by typing. Everyone else
// gets a polite refusal that names their id, and no turn runs.
import { Bot } from 'grammy';
import type { CallbackQuery, Message, PhotoSize, Update, User, UserFromGetMe } from 'grammy/types';
import type { FastifyPluginAsync } from 'fastify';
import { systemClock, type Clock } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import type { TurnContext } from '../../agents/main/turn-context.ts';
import type { ChatChannel, TurnRunner } from '../channels/channel.ts';
import type { ChannelHealth } from '../channels/health.ts';
import { splitMessage } from '../channels/split.ts';
import { UserRateLimit } from '../channels/user-rate.ts';
import { addressed, addressesBot, type BotIdentity } from './addressing.ts';
import { decisionLine, parseButton, turnTextOf, type ButtonAction } from './buttons.ts';
import { ChatQueue } from './chat-queue.ts';
import { commandMenu, greeting } from './commands.ts';
import { classifyFailure } from './errors.ts';
import { TELEGRAM_TEXT_LIMIT } from './live-message.ts';
import { UpdatePoller, type Backoff } from './poller.ts';
import { NO_IMAGES, NOT_TEXT, rateRefusal, refusal } from './replies.ts';
import { retryAfter } from './retry-after.ts';
import { runTelegramTurn } from './turn.ts';
import { grammySignal } from './signal.ts';
import { downloadPhoto, largestPhoto, type DownloadedPhoto } from './photos.ts';
import { WebhookSource } from './webhook.ts';
import type { ImagePart } from '../../llm/messages.ts';

export interface TelegramChannelOptions {
  token: string;
  /** Telegram user ids (numbers as text), from telegram_allowed_users. */
  allowedUsers: readonly string[];
  /** A self-hosted Bot API server; Telegram's public one when undefined. */
  apiRoot: string | undefined;
  runner: TurnRunner;
  logger: Logger;
  clock?: Clock;
  /** Turns per person per minute (each may cost LLM money). */
  perMinute?: number;
  /** Minimum time between two edits of a streaming answer. */
  editIntervalMs?: number;
  pollTimeoutSeconds?: number;
  backoff?: Backoff;
  /** Downloads photos (tests point it at the fake Bot API's file server through apiRoot anyway). */
  fetchImpl?: typeof fetch;
  /** A public HTTPS URL reaching TELEGRAM_WEBHOOK_PATH: updates come by webhook instead of long polling. */
  webhookUrl?: string;
}

/** A pending Yes / No question in a chat: the message with the buttons, and who was asked. */
interface Question {
  messageId: number;
  userId: number;
}

/** A stranger who keeps writing is refused once per this long, not once per message. */
const REFUSE_AGAIN_MS = 10 * 60_000;
const NO_PREVIEW = { link_preview_options: { is_disabled: true } };
const NO_BUTTONS = { reply_markup: { inline_keyboard: [] } };

export class TelegramChannel implements ChatChannel {
  readonly name = 'telegram' as const;
  readonly #o: TelegramChannelOptions;
  readonly #clock: Clock;
  readonly #bot: Bot;
  /** Where updates come from: long polling, or the webhook when telegram_webhook_url is set. */
  readonly #source: UpdatePoller | WebhookSource;
  readonly #queue: ChatQueue;
  readonly #rate: UserRateLimit;
  readonly #perMinute: number;
  readonly #allowed: ReadonlySet<string>;
  /** Group chats an allowed person wrote in: notifications may go there too. */
  readonly #knownChats = new Set<number>();
  readonly #questions = new Map<number, Question>();
  /** Plan cards already decided (`chat:message`), so a double tap runs one decision. */
  readonly #decided = new Set<string>();
  readonly #quietUntil = new Map<string, number>();
  readonly #abort = new AbortController();
  #health: ChannelHealth = { state: 'starting' };

  constructor(o: TelegramChannelOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
    this.#perMinute = o.perMinute ?? 10;
    this.#rate = new UserRateLimit(this.#perMinute, () => this.#clock.now());
    this.#allowed = new Set(o.allowedUsers.map((u) => u.trim()));
    const pollTimeout = o.pollTimeoutSeconds ?? 30;
    // No I/O here: grammY's Bot only stores its options until the first call.
    this.#bot = new Bot(o.token, { client: { ...(o.apiRoot ? { apiRoot: o.apiRoot.replace(/\/+$/, '') } : {}), timeoutSeconds: pollTimeout + 30 } });
    this.#bot.api.config.use(retryAfter({ clock: this.#clock }));
    // Every press, data or not, must be acknowledged, or the person's client shows a spinner.
    this.#bot.on('callback_query', (ctx) => this.#onButton(ctx.callbackQuery));
    this.#bot.on('message', (ctx) => this.#onMessage(ctx.message));
    this.#queue = new ChatQueue((err, chatId) => {
      if (!this.#abort.signal.aborted) o.logger.error({ chat: chatId, error: classifyFailure(err, o.token).message }, 'telegram: a chat turn could not be delivered');
    });
    const common = {
      api: this.#bot.api,
      token: o.token,
      clock: this.#clock,
      logger: o.logger,
      backoff: o.backoff ?? { initialMs: 1000, maxMs: 60_000 },
      onConnected: (me: UserFromGetMe) => this.#connected(me),
      onUpdate: (update: Update) => this.#bot.handleUpdate(update),
      onHealth: (h: ChannelHealth) => (this.#health = h),
    };
    this.#source = o.webhookUrl ? new WebhookSource({ ...common, url: o.webhookUrl }) : new UpdatePoller({ ...common, timeoutSeconds: pollTimeout });
  }

  async start(): Promise<void> {
    await this.#source.start();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#source.stop();
    await this.#queue.drain();
  }

  /** The webhook's route in webhook mode (registered behind the access guard); none for long polling. */
  routes(): FastifyPluginAsync | undefined {
    return this.#source instanceof WebhookSource ? this.#source.routes() : undefined;
  }

  health(): ChannelHealth {
    return { ...this.#health };
  }

  async send(to: string, text: string, signal?: AbortSignal): Promise<void> {
    const chatId = /^-?\d{1,20}$/.test(to.trim()) ? Number(to.trim()) : undefined;
    if (chatId === undefined) throw new Error(`"${to}" is not a Telegram chat id; use telegram:<numeric user id>`);
    if (!this.#allowed.has(String(chatId)) && !this.#knownChats.has(chatId)) {
      throw new Error(`Telegram user ${to} is not on telegram_allowed_users; notifications go only to allowed people`);
    }
    if (this.#health.state === 'failed') throw new Error(`The Telegram channel is not working: ${this.#health.error ?? 'stopped'}`);
    for (const part of splitMessage(text, TELEGRAM_TEXT_LIMIT)) {
      try {
        await this.#bot.api.sendMessage(chatId, part, NO_PREVIEW, grammySignal(signal));
      } catch (err) {
        const f = classifyFailure(err, this.#o.token);
        const why =
          f.kind === 'api' && (f.code === 403 || /chat not found/i.test(f.description))
            ? `Telegram would not deliver to ${to}: that person has not started a chat with ${this.#health.account ?? 'the bot'} or has blocked it (open the bot in Telegram and press Start)`
            : `Telegram did not take the message: ${f.message}`;
        // eslint-disable-next-line preserve-caught-error -- grammY's error keeps the request URL, and with it the bot token
        throw new Error(why);
      }
    }
  }

  async #connected(me: UserFromGetMe): Promise<void> {
    this.#bot.botInfo = me;
    try {
      await this.#bot.api.setMyCommands(commandMenu());
    } catch (err) {
      this.#o.logger.warn({ error: classifyFailure(err, this.#o.token).message }, 'telegram: the command menu could not be set; commands still work when typed');
    }
  }

  #identity(): BotIdentity {
    return { id: this.#bot.botInfo.id, username: this.#bot.botInfo.username };
  }

  #onMessage(message: Message): void {
    const from = message.from;
    if (!from || from.is_bot) return;
    const chatId = message.chat.id;
    const bot = this.#identity();
    if (!this.#allowed.has(String(from.id))) {
      if (!addressesBot(message, bot)) return;
      this.#o.logger.info({ user: from.id, username: from.username, chat: chatId }, 'telegram: refused a person not on telegram_allowed_users');
      if (this.#quiet(`refused:${from.id}`, REFUSE_AGAIN_MS)) return;
      this.#queue.run(chatId, () => this.#say(chatId, refusal(from.id)));
      return;
    }
    if (message.chat.type !== 'private') this.#knownChats.add(chatId);

    if (message.text !== undefined) {
      const turn = addressed(message, bot);
      if (!turn || !this.#admit(chatId, from)) return;
      if (turn.kind === 'start') {
        this.#queue.run(chatId, async () => {
          await this.#say(chatId, greeting(from.first_name));
          await this.#turn(chatId, from, '/help');
        });
      } else this.#queue.run(chatId, () => this.#turn(chatId, from, turn.text));
      return;
    }
    if (!addressesBot(message, bot) || !hasContent(message)) return;
    if (!this.#admit(chatId, from)) return;
    const photo = message.photo ? largestPhoto(message.photo) : undefined;
    if (photo) {
      // The caption is the question; a photo alone asks what it shows.
      const text = message.caption?.trim() || 'What is in this picture?';
      this.#queue.run(chatId, () => this.#photoTurn(chatId, from, text, photo));
      return;
    }
    const isImage = message.document?.mime_type?.startsWith('image/') === true;
    this.#queue.run(chatId, () => this.#say(chatId, isImage ? NO_IMAGES : NOT_TEXT));
  }

  async #photoTurn(chatId: number, from: User, text: string, photo: PhotoSize): Promise<void> {
    let image: DownloadedPhoto;
    try {
      image = await downloadPhoto(photo, { api: this.#bot.api, token: this.#o.token, apiRoot: this.#o.apiRoot ?? 'https://api.telegram.org', fetchImpl: this.#o.fetchImpl ?? fetch, signal: this.#abort.signal });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.#o.logger.warn({ error: why }, 'telegram: a photo could not be downloaded');
      await this.#say(chatId, `🖼️ I could not fetch that photo from Telegram (${why}). Please send it again.`);
      return;
    }
    await this.#turn(chatId, from, text, [{ type: 'image', mediaType: image.mediaType, data: image.data }]);
  }

  /** The per-person rate limit; the first refused message in a window is answered, the rest not. */
  #admit(chatId: number, from: User): boolean {
    const wait = this.#rate.take(`telegram:${from.id}`);
    if (wait === undefined) return true;
    if (!this.#quiet(`rate:${from.id}`, wait * 1000)) this.#queue.run(chatId, () => this.#say(chatId, rateRefusal(this.#perMinute, wait)));
    return false;
  }

  #onButton(query: CallbackQuery): void {
    const from = query.from;
    const answer = (text?: string) => {
      this.#bot.api.answerCallbackQuery(query.id, text ? { text, show_alert: true } : {}).catch((err: unknown) => {
        this.#o.logger.debug({ error: classifyFailure(err, this.#o.token).message }, 'telegram: a button press could not be acknowledged');
      });
    };
    if (!this.#allowed.has(String(from.id))) {
      this.#o.logger.info({ user: from.id, username: from.username }, 'telegram: refused a button press from a person not on telegram_allowed_users');
      return answer('Only the people this assistant serves can use its buttons.');
    }
    const action = query.data === undefined ? undefined : parseButton(query.data);
    const message = query.message;
    if (!action || !message) return answer('This button no longer works.');
    const chatId = message.chat.id;
    const messageId = message.message_id;
    if (action.kind === 'confirm') {
      const q = this.#questions.get(chatId);
      if (!q || q.messageId !== messageId) {
        this.#removeButtons(chatId, messageId);
        return answer('This question is no longer open.');
      }
      if (q.userId !== from.id) return answer('This question is for the person who asked.');
    } else {
      const key = `${chatId}:${messageId}`;
      if (this.#decided.has(key)) return answer('This proposal has been decided already.');
      if (this.#decided.size > 500) this.#decided.clear();
      this.#decided.add(key);
    }
    const wait = this.#rate.take(`telegram:${from.id}`);
    if (wait !== undefined) return answer(rateRefusal(this.#perMinute, wait));
    answer();
    const text = 'text' in message ? message.text : undefined;
    this.#queue.run(chatId, () => this.#decide(chatId, messageId, text, from, action));
  }

  /** A tap is the person's answer: the buttons give way to what was chosen, then the turn runs. */
  async #decide(chatId: number, messageId: number, text: string | undefined, from: User, action: ButtonAction): Promise<void> {
    if (action.kind === 'confirm') {
      // Something else may have answered the question while this tap waited its turn.
      if (this.#questions.get(chatId)?.messageId !== messageId) return;
      this.#questions.delete(chatId);
    }
    const line = decisionLine(action, from.first_name);
    try {
      if (text !== undefined) await this.#bot.api.editMessageText(chatId, messageId, `${text}\n\n${line}`, { ...NO_BUTTONS, ...NO_PREVIEW });
      else await this.#bot.api.editMessageReplyMarkup(chatId, messageId, NO_BUTTONS);
    } catch (err) {
      this.#o.logger.debug({ error: classifyFailure(err, this.#o.token).message }, 'telegram: a decided message could not be updated');
    }
    await this.#turn(chatId, from, turnTextOf(action));
  }

  async #turn(chatId: number, from: User, text: string, images?: ImagePart[]): Promise<void> {
    if (this.#abort.signal.aborted) return;
    // Whatever comes next in the chat answers an open question, so its buttons go.
    const open = this.#questions.get(chatId);
    if (open) {
      this.#questions.delete(chatId);
      this.#removeButtons(chatId, open.messageId);
    }
    const ctx: TurnContext = {
      user: { id: `telegram:${from.id}`, name: [from.first_name, from.last_name].filter(Boolean).join(' ') },
      channel: 'telegram',
      conversationId: `telegram-${chatId}`,
      signal: this.#abort.signal,
      ...(images ? { images } : {}),
    };
    const result = await runTelegramTurn({ api: this.#bot.api, runner: this.#o.runner, clock: this.#clock, logger: this.#o.logger, editIntervalMs: this.#o.editIntervalMs ?? 1500 }, chatId, text, ctx);
    if (result.questionMessageId !== undefined) this.#questions.set(chatId, { messageId: result.questionMessageId, userId: from.id });
  }

  async #say(chatId: number, text: string): Promise<void> {
    await this.#bot.api.sendMessage(chatId, text, NO_PREVIEW);
  }

  #removeButtons(chatId: number, messageId: number): void {
    this.#bot.api.editMessageReplyMarkup(chatId, messageId, NO_BUTTONS).catch(() => {
      // Already gone (or too old to edit): nothing to take back.
    });
  }

  /** True while `key` was answered less than `ms` ago; otherwise starts a new quiet period. */
  #quiet(key: string, ms: number): boolean {
    const now = this.#clock.now();
    if ((this.#quietUntil.get(key) ?? 0) > now) return true;
    if (this.#quietUntil.size > 1000) this.#quietUntil.clear();
    this.#quietUntil.set(key, now + ms);
    return false;
  }
}

/** A message a person sent on purpose (not a service message such as "X joined the group"). */
function hasContent(m: Message): boolean {
  return [m.photo, m.document, m.sticker, m.voice, m.audio, m.video, m.video_note, m.animation, m.location, m.contact, m.poll].some((x) => x !== undefined);
}
