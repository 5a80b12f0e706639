// A local Telegram Bot API server for tests: the HTTP methods grammY calls (POST
// /bot<token>/<method>, JSON in, `{ok, result}` or `{ok: false, error_code, description}` out)
// with the real server's rules where a client depends on them: 401 for a wrong token, getUpdates
// long polling with offset confirmation and timeout (a second concurrent poll ends the first with
// 409), 400 "message is not modified" for an edit that changes nothing, an edit without
// reply_markup removing the buttons, text trimmed and capped at 4096, "chat not found" for a chat
// that never talked to the bot, file downloads at /file/bot<token>/<path>. People are simulated by
// pushing real Update objects (messages, callback queries); every call is recorded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotCommand, CallbackQuery, Chat, InlineKeyboardMarkup, Message, PhotoSize, Update, User, UserFromGetMe } from 'grammy/types';

export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
}

export interface BotMessage {
  message_id: number;
  chat_id: number;
  text: string;
  reply_markup: InlineKeyboardMarkup | undefined;
  /** Every text it showed, the first (sent) one included. */
  texts: string[];
}

interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

interface Poll {
  offset: number;
  limit: number;
  respond: (status: number, body: unknown) => void;
  timer: NodeJS.Timeout | undefined;
}

export const BOT_USER: UserFromGetMe = {
  id: 7000001,
  is_bot: true,
  first_name: 'Wactorz',
  username: 'wactorz_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export function person(id: number, first_name: string, username?: string): User {
  return { id, is_bot: false, first_name, ...(username ? { username } : {}), language_code: 'en' };
}

export function privateChat(user: User): Chat.PrivateChat {
  return { id: user.id, type: 'private', first_name: user.first_name, ...(user.username ? { username: user.username } : {}) };
}

export function groupChat(id: number, title: string): Chat.GroupChat {
  return { id, type: 'group', title };
}

export class FakeTelegram {
  readonly token: string;
  readonly calls: ApiCall[] = [];
  commands: BotCommand[] = [];
  #server: Server | undefined;
  #port = 0;
  #updates: Update[] = [];
  /** Set by setWebhook: new updates are POSTed there instead of waiting for getUpdates. */
  webhook: { url: string; secret: string | undefined } | undefined;
  /** The HTTP status of each webhook delivery, in order. */
  readonly webhookAnswers: number[] = [];
  #nextUpdate = 500_000;
  #nextMessage = 1;
  #nextQuery = 1;
  readonly #polls = new Set<Poll>();
  readonly #messages = new Map<string, BotMessage>();
  readonly #chats = new Map<number, Chat>();
  readonly #queries = new Map<string, { answered: boolean; text?: string }>();
  readonly #failures = new Map<string, ApiFailure[]>();
  readonly #files = new Map<string, { path: string; bytes: Buffer }>();

  constructor(token = '123456789:AAE-fake-secret-token_0123456789abc') {
    this.token = token;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** The server goes away: open polls are cut, new connections refused until resume(). */
  async drop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    for (const p of this.#polls) clearTimeout(p.timer);
    this.#polls.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async resume(): Promise<void> {
    await this.start();
  }

  async close(): Promise<void> {
    await this.drop();
  }

  // --- the people ---------------------------------------------------------------------------

  /** A chat the bot may write to (the person pressed Start some time ago). */
  knowChat(chat: Chat): void {
    this.#chats.set(chat.id, chat);
  }

  sendText(from: User, text: string, opts: { chat?: Chat; replyTo?: BotMessage } = {}): Message {
    const chat = opts.chat ?? privateChat(from);
    const command = /^\/\S+/.exec(text);
    const reply = opts.replyTo ? this.#asMessage(opts.replyTo) : undefined;
    const message = {
      ...this.#incoming(from, chat),
      text,
      ...(command ? { entities: [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] } : {}),
      ...(reply ? { reply_to_message: reply } : {}),
    } as Message;
    this.#push({ update_id: this.#nextUpdate++, message } as Update);
    return message;
  }

  /** A photo in the sizes Telegram makes; each size's bytes can be downloaded via getFile. */
  sendPhoto(from: User, sizes: { width: number; height: number; bytes: Buffer }[], caption?: string): Message {
    const chat = privateChat(from);
    const photo: PhotoSize[] = sizes.map((s, i) => {
      const file_id = `photo-${this.#nextMessage}-${i}`;
      this.#files.set(file_id, { path: `photos/file_${this.#nextMessage}_${i}.jpg`, bytes: s.bytes });
      return { file_id, file_unique_id: `u${file_id}`, width: s.width, height: s.height, file_size: s.bytes.length };
    });
    const message = { ...this.#incoming(from, chat), photo, ...(caption ? { caption } : {}) } as Message;
    this.#push({ update_id: this.#nextUpdate++, message } as Update);
    return message;
  }

  /** A press of an inline button under one of the bot's messages; returns the query id. */
  tap(from: User, message: BotMessage, data: string): string {
    const id = `cq${this.#nextQuery++}`;
    this.#queries.set(id, { answered: false });
    const callback_query: CallbackQuery = { id, from, chat_instance: `ci${message.chat_id}`, message: this.#asMessage(message), data };
    this.#push({ update_id: this.#nextUpdate++, callback_query });
    return id;
  }

  // --- what tests look at ----------------------------------------------------------------------

  /** The bot's messages in a chat, oldest first. */
  chat(chatId: number): BotMessage[] {
    return [...this.#messages.values()].filter((m) => m.chat_id === chatId).sort((a, b) => a.message_id - b.message_id);
  }

  callsOf(method: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.body);
  }

  answerOf(queryId: string): { answered: boolean; text?: string } | undefined {
    return this.#queries.get(queryId);
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): number {
    return this.#updates.length;
  }

  /** The next `count` calls of `method` fail this way (a 429 with retry_after, a 500...). */
  failNext(method: string, failure: ApiFailure, count = 1): void {
    const list = this.#failures.get(method) ?? [];
    for (let i = 0; i < count; i++) list.push(failure);
    this.#failures.set(method, list);
  }

  // --- the server ----------------------------------------------------------------------------

  #incoming(from: User, chat: Chat): Omit<Message, 'chat'> & { chat: Chat } {
    this.#chats.set(chat.id, chat);
    return { message_id: this.#nextMessage++, from, chat, date: Math.floor(Date.now() / 1000) };
  }

  #asMessage(m: BotMessage): Message {
    const chat = this.#chats.get(m.chat_id) ?? ({ id: m.chat_id, type: 'private', first_name: '?' });
    return { message_id: m.message_id, from: BOT_USER, chat, date: Math.floor(Date.now() / 1000), text: m.text, ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}) };
  }

  #push(update: Update): void {
    if (this.webhook) {
      void this.#deliver(this.webhook, update);
      return;
    }
    this.#updates.push(update);
    for (const p of [...this.#polls]) this.#answerPoll(p);
  }

  /** [Bot API setWebhook] Updates are POSTed to the URL with the secret in X-Telegram-Bot-Api-Secret-Token; a non-2xx answer is retried. */
  async #deliver(hook: { url: string; secret: string | undefined }, update: Update, attempt = 1): Promise<void> {
    let status: number;
    try {
      const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(hook.secret ? { 'x-telegram-bot-api-secret-token': hook.secret } : {}) }, body: JSON.stringify(update) });
      status = res.status;
    } catch {
      // Unreachable: Telegram counts it as a failed delivery.
      status = 0;
    }
    this.webhookAnswers.push(status);
    if ((status < 200 || status > 299) && attempt < 3) await this.#deliver(hook, update, attempt + 1);
  }

  #answerPoll(p: Poll): boolean {
    const ready = this.#updates.filter((u) => u.update_id >= p.offset).slice(0, p.limit);
    if (ready.length === 0) return false;
    clearTimeout(p.timer);
    this.#polls.delete(p);
    p.respond(200, { ok: true, result: ready });
    return true;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.#download(file[1], decodeURIComponent(file[2]), res);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const method = m[2];
    this.calls.push({ method, body });
    if (m[1] !== this.token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const failure = this.#failures.get(method)?.shift();
    if (failure) return send(failure.error_code, { ok: false, ...failure });
    if (method === 'getUpdates') return this.#getUpdates(body, send, res);
    const out = this.#call(method, body);
    if ('error_code' in out) send(out.error_code, { ok: false, ...out });
    else send(200, { ok: true, result: out.result });
  }

  #getUpdates(body: Record<string, unknown>, send: (status: number, body: unknown) => void, res: ServerResponse): void {
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    // [Bot API getUpdates] An update is confirmed as soon as getUpdates is called with an offset higher than its update_id.
    this.#updates = this.#updates.filter((u) => u.update_id >= offset);
    for (const other of [...this.#polls]) {
      clearTimeout(other.timer);
      this.#polls.delete(other);
      other.respond(409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    }
    const poll: Poll = { offset, limit: typeof body.limit === 'number' ? body.limit : 100, respond: send, timer: undefined };
    if (this.#answerPoll(poll)) return;
    const timeout = typeof body.timeout === 'number' ? body.timeout : 0;
    if (timeout <= 0) return send(200, { ok: true, result: [] });
    this.#polls.add(poll);
    poll.timer = setTimeout(() => {
      this.#polls.delete(poll);
      send(200, { ok: true, result: [] });
    }, timeout * 1000);
    res.on('close', () => {
      clearTimeout(poll.timer);
      this.#polls.delete(poll);
    });
  }

  #call(method: string, b: Record<string, unknown>): { result: unknown } | ApiFailure {
    switch (method) {
      case 'getMe':
        return { result: BOT_USER };
      case 'deleteWebhook':
        this.webhook = undefined;
        return { result: true };
      case 'setWebhook': {
        const url = typeof b.url === 'string' ? b.url : '';
        if (!/^https?:\/\//.test(url)) return badRequest('bad webhook: HTTPS url must be provided for webhook');
        this.webhook = { url, secret: typeof b.secret_token === 'string' ? b.secret_token : undefined };
        return { result: true };
      }
      case 'sendChatAction':
        return { result: true };
      case 'setMyCommands': {
        const commands = b.commands as BotCommand[];
        const bad = commands.find((c) => !/^[a-z0-9_]{1,32}$/.test(c.command) || c.description.length < 1 || c.description.length > 256);
        if (bad) return badRequest('BOT_COMMAND_INVALID');
        this.commands = commands;
        return { result: true };
      }
      case 'sendMessage': {
        const chatId = Number(b.chat_id);
        if (!this.#chats.has(chatId)) return badRequest('chat not found');
        const text = checkText(b.text);
        if (typeof text !== 'string') return text;
        const msg: BotMessage = { message_id: this.#nextMessage++, chat_id: chatId, text, reply_markup: markupOf(b.reply_markup), texts: [text] };
        this.#messages.set(`${chatId}:${msg.message_id}`, msg);
        return { result: this.#asMessage(msg) };
      }
      case 'editMessageText': {
        const msg = this.#messages.get(`${Number(b.chat_id)}:${Number(b.message_id)}`);
        if (!msg) return badRequest('message to edit not found');
        const text = checkText(b.text);
        if (typeof text !== 'string') return text;
        const markup = markupOf(b.reply_markup);
        if (text === msg.text && JSON.stringify(markup) === JSON.stringify(msg.reply_markup)) return notModified();
        msg.text = text;
        msg.reply_markup = markup;
        msg.texts.push(text);
        return { result: this.#asMessage(msg) };
      }
      case 'editMessageReplyMarkup': {
        const msg = this.#messages.get(`${Number(b.chat_id)}:${Number(b.message_id)}`);
        if (!msg) return badRequest('message to edit not found');
        const markup = markupOf(b.reply_markup);
        if (JSON.stringify(markup) === JSON.stringify(msg.reply_markup)) return notModified();
        msg.reply_markup = markup;
        return { result: this.#asMessage(msg) };
      }
      case 'answerCallbackQuery': {
        const q = this.#queries.get(String(b.callback_query_id));
        if (!q || q.answered) return badRequest('query is too old and response timeout expired or query ID is invalid');
        q.answered = true;
        if (typeof b.text === 'string') q.text = b.text;
        return { result: true };
      }
      case 'getFile': {
        const f = this.#files.get(String(b.file_id));
        if (!f) return badRequest('invalid file_id');
        return { result: { file_id: b.file_id, file_unique_id: `u${String(b.file_id)}`, file_size: f.bytes.length, file_path: f.path } };
      }
      default:
        return { error_code: 404, description: 'Not Found' };
    }
  }

  #download(token: string, path: string, res: ServerResponse): void {
    const f = [...this.#files.values()].find((x) => x.path === path);
    if (token !== this.token || !f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(f.bytes);
  }
}

function badRequest(what: string): ApiFailure {
  return { error_code: 400, description: `Bad Request: ${what}` };
}

function notModified(): ApiFailure {
  return badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
}

/** Telegram trims a message's text and refuses an empty or too long one. */
function checkText(value: unknown): string | ApiFailure {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return badRequest('message text is empty');
  if (text.length > 4096) return badRequest('message is too long');
  return text;
}

/** An inline keyboard with no rows is no keyboard. */
function markupOf(value: unknown): InlineKeyboardMarkup | undefined {
  const m = value as InlineKeyboardMarkup | undefined;
  return m && Array.isArray(m.inline_keyboard) && m.inline_keyboard.length > 0 ? m : undefined;
}

export async function startFakeTelegram(token?: string): Promise<FakeTelegram> {
  return new FakeTelegram(token).start();
}
