// A local Discord for tests: REST (rest.ts) and the gateway (gateway.ts) on one port, with one
// guild, its text channels, the people the tests create, DMs, threads, messages with every
// version of their content, interactions and their callbacks. discord.js itself is pointed at
// it (`rest.api` = `apiRoot`); the gateway URL comes from its GET /gateway/bot, as from Discord.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.ts';
import { channelPayload, guildCreatePayload, messagePayload, Snowflakes, user, type FakeChannel, type FakeMessage, type FakeUser } from './payloads.ts';
import { notFound, readBody, route, send, UNAUTHORIZED, type RestCall, type RestReply, type RestRoute } from './rest.ts';

export interface FakeDiscordOptions {
  /** The token the fake accepts (REST `Authorization: Bot <token>` and IDENTIFY). */
  token?: string;
  /** Close IDENTIFYs that ask for the Message Content intent with 4014, like an app without it enabled. */
  refuseMessageContent?: boolean;
  /** Listen on this port (default: any free one). */
  port?: number;
}

export interface FakeInteraction {
  id: string;
  token: string;
  channelId: string;
  /** The message a button was on. */
  messageId?: string;
  /** Every POST …/callback: 4 reply, 5 deferred reply, 6 deferred update, 7 update. */
  callbacks: { type: number; data: Record<string, unknown> | undefined }[];
  /** The interaction's "@original" response message, once there is one. */
  originalId?: string;
}

export const FAKE_DISCORD_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.fake.discord-bot-token-for-tests';

export class FakeDiscord {
  readonly ids = new Snowflakes(1_300_000_000_000_000_000n);
  readonly bot: FakeUser = user('1200000000000000001', 'wactorz', true);
  readonly applicationId = this.bot.id;
  readonly guildId = '1100000000000000001';
  /** Two guild text channels: `#wactorz` and `#general`. */
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly users = new Map<string, FakeUser>();
  readonly calls: RestCall[] = [];
  /** Application commands as last registered (PUT /applications/{app}/commands). */
  commands: Record<string, unknown>[] = [];
  readonly wactorzChannel: FakeChannel = { id: '1100000000000000010', type: 0, guild_id: this.guildId, name: 'wactorz' };
  readonly generalChannel: FakeChannel = { id: '1100000000000000011', type: 0, guild_id: this.guildId, name: 'general' };
  token: string;
  refuseMessageContent: boolean;
  /** Answer POST …/threads with 403 Missing Permissions, as for a bot without "Create Public Threads". */
  refuseThreads = false;
  readonly #server: Server;
  readonly #gateway: FakeGateway;
  readonly #routes: RestRoute[];
  readonly #files = new Map<string, { bytes: Buffer; type: string }>();
  readonly #port: number;
  #url = '';

  constructor(options: FakeDiscordOptions = {}) {
    this.token = options.token ?? FAKE_DISCORD_TOKEN;
    this.refuseMessageContent = options.refuseMessageContent ?? false;
    this.#port = options.port ?? 0;
    for (const c of [this.wactorzChannel, this.generalChannel]) this.channels.set(c.id, c);
    this.users.set(this.bot.id, this.bot);
    this.#routes = this.#restRoutes();
    this.#server = createServer((req, res) => {
      // The CDN: attachments are public URLs (no token), as on cdn.discordapp.com.
      const file = this.#files.get(req.url ?? '');
      if (file) {
        res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length }).end(file.bytes);
        return;
      }
      void this.#handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, readBody(req)).then((reply) => send(res, reply));
    });
    this.#gateway = new FakeGateway(this.#server, () => this.gatewayUrl, {
      token: () => this.token,
      refuseMessageContent: () => this.refuseMessageContent,
      ready: (sessionId, resumeUrl) => ({
        v: 10,
        user: { ...this.bot, verified: true, mfa_enabled: false, flags: 0 },
        guilds: [{ id: this.guildId, unavailable: true }],
        session_id: sessionId,
        resume_gateway_url: resumeUrl,
        shard: [0, 1],
        application: { id: this.applicationId, flags: 1 << 19 },
        private_channels: [],
        relationships: [],
        presences: [],
        user_settings: {},
      }),
      guildCreate: () => guildCreatePayload(this.guildId, [...this.channels.values()], this.bot.id),
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(this.#port, '127.0.0.1', resolve));
    this.#url = `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** What DISCORD_API_ROOT is set to (discord.js appends /v10). */
  get apiRoot(): string {
    return `http://${this.#url}/api`;
  }

  get gatewayUrl(): string {
    return `ws://${this.#url}`;
  }

  get gateway(): FakeGateway {
    return this.#gateway;
  }

  async close(): Promise<void> {
    await this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Someone on the guild (allowed or not: that is the bot's business). */
  person(username: string): FakeUser {
    const u = user(this.ids.next(), username);
    this.users.set(u.id, u);
    return u;
  }

  /** `from` writes `content` in a guild channel or thread; returns the message id. */
  say(from: FakeUser, channelId: string, content: string): string {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake discord: no channel ${channelId}`);
    const m = this.#store({ id: this.ids.next(), channel_id: channelId, author: from, content, components: [], flags: 0, versions: [] });
    this.#gateway.dispatch('MESSAGE_CREATE', { ...this.#messageBody(m), member: this.#member(), channel_type: channel.type });
    return m.id;
  }

  /** `from` writes `content` to the bot in a DM; returns the message id. */
  dm(from: FakeUser, content: string): string {
    const dm = this.dmChannel(from);
    const m = this.#store({ id: this.ids.next(), channel_id: dm.id, author: from, content, components: [], flags: 0, versions: [] });
    this.#gateway.dispatch('MESSAGE_CREATE', { ...this.#messageBody(m), channel_type: 1 });
    return m.id;
  }

  /** `from` sends the bot a file in a DM, with `content` as the text beside it; returns the message id. */
  dmFile(from: FakeUser, content: string, file: { filename: string; contentType: string; bytes: Buffer }): string {
    const dm = this.dmChannel(from);
    const id = this.ids.next();
    const path = `/attachments/${dm.id}/${id}/${file.filename}`;
    this.#files.set(path, { bytes: file.bytes, type: file.contentType });
    const url = `http://${this.#url}${path}`;
    const attachments = [{ id, filename: file.filename, content_type: file.contentType, size: file.bytes.length, url, proxy_url: url }];
    const m = this.#store({ id: this.ids.next(), channel_id: dm.id, author: from, content, components: [], flags: 0, versions: [], attachments });
    this.#gateway.dispatch('MESSAGE_CREATE', { ...this.#messageBody(m), channel_type: 1 });
    return m.id;
  }

  /** A slash command (`/name option:value`) in a channel, a thread or `from`'s DM (channelId 'dm'). */
  slash(from: FakeUser, channelId: string, name: string, options: Record<string, string> = {}): FakeInteraction {
    const command = this.commands.find((c) => c.name === name);
    if (!command) throw new Error(`fake discord: /${name} is not registered`);
    const data = { id: command.id, name, type: 1, options: Object.entries(options).map(([k, v]) => ({ name: k, type: 3, value: v })) };
    return this.#interact(from, channelId === 'dm' ? this.dmChannel(from).id : channelId, 2, data);
  }

  /** `from` clicks the button `customId` on message `messageId`. */
  click(from: FakeUser, messageId: string, customId: string): FakeInteraction {
    const m = this.messages.get(messageId);
    if (!m) throw new Error(`fake discord: no message ${messageId}`);
    return this.#interact(from, m.channel_id, 3, { custom_id: customId, component_type: 2 }, m);
  }

  /** A thread the bot was never told about (no THREAD_CREATE), as one archived before it started. */
  unseenThread(parentId: string, name: string): FakeChannel {
    const thread: FakeChannel = { id: this.ids.next(), type: 11, guild_id: this.guildId, parent_id: parentId, name };
    this.channels.set(thread.id, thread);
    return thread;
  }

  dmChannel(of: FakeUser): FakeChannel {
    for (const c of this.channels.values()) if (c.type === 1 && c.recipient?.id === of.id) return c;
    const c: FakeChannel = { id: this.ids.next(), type: 1, recipient: of };
    this.channels.set(c.id, c);
    return c;
  }

  /** The bot's messages in a channel that everyone there sees (not deleted, not ephemeral), oldest first. */
  botMessages(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && m.author.id === this.bot.id && !m.deleted && (m.flags & 64) === 0);
  }

  /** Threads the bot started, by the channel they hang off. */
  threadsOf(parentId: string): FakeChannel[] {
    return [...this.channels.values()].filter((c) => c.type === 11 && c.parent_id === parentId);
  }

  /** Buttons on a message, as `custom_id`s. */
  buttonsOf(m: FakeMessage): string[] {
    return (m.components as { components?: { custom_id?: string }[] }[]).flatMap((row) => (row.components ?? []).map((b) => b.custom_id ?? ''));
  }

  callsTo(method: string, pattern: RegExp): RestCall[] {
    return this.calls.filter((c) => c.method === method && pattern.test(c.path));
  }

  async #handle(method: string, url: string, auth: string | undefined, body: Promise<unknown>): Promise<RestReply> {
    const parsed = new URL(url, 'http://fake');
    // discord.js encodes path parameters (`@original` arrives as `%40original`), as Discord decodes them.
    const pathname = decodeURIComponent(parsed.pathname);
    const v = pathname.indexOf('/v10/');
    const call: RestCall = { method, path: v < 0 ? pathname : pathname.slice(v + 4), query: parsed.search.slice(1), body: await body };
    this.calls.push(call);
    // Interaction callbacks and webhook messages are authenticated by the interaction token in the URL.
    const tokenInPath = /^\/(interactions|webhooks)\//.test(call.path);
    if (!tokenInPath && auth !== `Bot ${this.token}`) return UNAUTHORIZED;
    return route(this.#routes, call) ?? { status: 404, body: { message: `fake discord has no route ${method} ${call.path}`, code: 0 } };
  }

  #restRoutes(): RestRoute[] {
    const r = (method: string, pattern: RegExp, handler: RestRoute['handler']): RestRoute => ({ method, pattern, handler });
    return [
      r('GET', /^\/gateway\/bot$/, () => ({
        status: 200,
        body: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } },
      })),
      r('GET', /^\/users\/@me$/, () => ({ status: 200, body: this.bot })),
      r('GET', /^\/users\/(\d+)$/, (m) => (this.users.has(m[1]) ? { status: 200, body: this.users.get(m[1]) } : notFound('User', 10013))),
      r('PUT', /^\/applications\/(\d+)\/commands$/, (m, body) => {
        const list = body as unknown as Record<string, unknown>[];
        this.commands = list.map((c) => ({ type: 1, ...c, id: this.ids.next(), application_id: m[1], version: this.ids.next(), default_member_permissions: null, nsfw: false }));
        return { status: 200, body: this.commands };
      }),
      r('POST', /^\/users\/@me\/channels$/, (_m, body) => {
        const to = this.users.get(String(body.recipient_id));
        if (!to) return { status: 400, body: { message: 'Invalid Recipient(s)', code: 50033 } };
        return { status: 200, body: channelPayload(this.dmChannel(to), this.bot.id) };
      }),
      r('GET', /^\/channels\/(\d+)$/, (m) => {
        const c = this.channels.get(m[1]);
        return c ? { status: 200, body: channelPayload(c, this.bot.id) } : notFound('Channel', 10003);
      }),
      r('POST', /^\/channels\/(\d+)\/typing$/, () => ({ status: 204 })),
      r('POST', /^\/channels\/(\d+)\/messages$/, (m, body) => {
        if (!this.channels.has(m[1])) return notFound('Channel', 10003);
        const msg = this.#store({ id: this.ids.next(), channel_id: m[1], author: this.bot, content: '', components: [], flags: 0, versions: [] }, body);
        if (msg.content.length > 2000) return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } } };
        // Discord echoes the bot's own messages on the gateway; the bot must ignore them.
        this.#gateway.dispatch('MESSAGE_CREATE', { ...this.#messageBody(msg), channel_type: this.channels.get(m[1])?.type });
        return { status: 200, body: this.#messageBody(msg) };
      }),
      r('PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m, body) => this.#edit(m[2], body)),
      r('DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m) => this.#delete(m[2])),
      r('POST', /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, (m, body) => {
        const parent = this.channels.get(m[1]);
        if (this.refuseThreads) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
        if (!parent || parent.type !== 0) return { status: 400, body: { message: 'Cannot execute action on this channel type', code: 50024 } };
        // A thread started from a message has that message's id (Discord's rule).
        const thread: FakeChannel = { id: m[2], type: 11, guild_id: this.guildId, parent_id: parent.id, name: String(body.name) };
        this.channels.set(thread.id, thread);
        const payload = channelPayload(thread, this.bot.id);
        this.#gateway.dispatch('THREAD_CREATE', { ...payload, newly_created: true });
        return { status: 201, body: payload };
      }),
      r('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, (m, body, query) => this.#callback(m[1], m[2], body, query)),
      r('PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m, body) => {
        const id = m[3] === '@original' ? this.#byToken(m[2])?.originalId : m[3];
        return id ? this.#edit(id, body) : notFound('Message', 10008);
      }),
      r('GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m) => {
        const id = m[3] === '@original' ? this.#byToken(m[2])?.originalId : m[3];
        const msg = id ? this.messages.get(id) : undefined;
        return msg ? { status: 200, body: this.#messageBody(msg) } : notFound('Message', 10008);
      }),
      r('DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m) => {
        const id = m[3] === '@original' ? this.#byToken(m[2])?.originalId : m[3];
        return id ? this.#delete(id) : notFound('Message', 10008);
      }),
      r('POST', /^\/webhooks\/(\d+)\/([^/]+)$/, (m, body) => {
        const it = this.#byToken(m[2]);
        if (!it) return notFound('Webhook', 10015);
        const msg = this.#store({ id: this.ids.next(), channel_id: it.channelId, author: this.bot, content: '', components: [], flags: 0, versions: [], webhook_id: this.applicationId }, body);
        return { status: 200, body: this.#messageBody(msg) };
      }),
    ];
  }

  #callback(id: string, token: string, body: Record<string, unknown>, query: URLSearchParams): RestReply {
    const it = this.interactions.get(id);
    if (!it || it.token !== token) return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    if (it.callbacks.length > 0) return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    const type = Number(body.type);
    const data = body.data as Record<string, unknown> | undefined;
    it.callbacks.push({ type, data });
    if (type === 4 || type === 5) {
      const flags = Number(data?.flags ?? 0) | (type === 5 ? 128 : 0); // 128: "is thinking…"
      const msg = this.#store({ id: this.ids.next(), channel_id: it.channelId, author: this.bot, content: '', components: [], flags, versions: [], webhook_id: this.applicationId }, type === 4 ? data : undefined);
      it.originalId = msg.id;
    } else if (type === 6 || type === 7) {
      it.originalId = it.messageId;
      if (type === 7 && it.messageId) this.#edit(it.messageId, data ?? {});
    }
    if (query.get('with_response') !== 'true') return { status: 204 };
    const msg = it.originalId ? this.messages.get(it.originalId) : undefined;
    return { status: 200, body: { interaction: { id, type: 2 }, resource: { type, ...(msg ? { message: this.#messageBody(msg) } : {}) } } };
  }

  #interact(from: FakeUser, channelId: string, type: number, data: Record<string, unknown>, message?: FakeMessage): FakeInteraction {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake discord: no channel ${channelId}`);
    const it: FakeInteraction = { id: this.ids.next(), token: `itoken-${this.ids.next()}`, channelId, callbacks: [], ...(message ? { messageId: message.id } : {}) };
    this.interactions.set(it.id, it);
    const inGuild = channel.type !== 1;
    this.#gateway.dispatch('INTERACTION_CREATE', {
      id: it.id,
      application_id: this.applicationId,
      type,
      data,
      token: it.token,
      version: 1,
      channel_id: channelId,
      channel: channelPayload(channel, this.bot.id),
      locale: 'en-US',
      app_permissions: '2248473465835073',
      entitlements: [],
      attachment_size_limit: 10_485_760,
      context: inGuild ? 0 : 1,
      authorizing_integration_owners: { '0': this.guildId },
      ...(inGuild ? { guild_id: this.guildId, guild_locale: 'en-US', guild: { id: this.guildId, locale: 'en-US', features: [] }, member: { ...this.#member(), user: from, permissions: '2248473465835073' } } : { user: from }),
      ...(message ? { message: this.#messageBody(message) } : {}),
    });
    return it;
  }

  #byToken(token: string): FakeInteraction | undefined {
    for (const it of this.interactions.values()) if (it.token === token) return it;
    return undefined;
  }

  #store(m: FakeMessage, body?: Record<string, unknown>): FakeMessage {
    if (body) Object.assign(m, this.#fields(m, body));
    m.versions.push({ content: m.content, components: m.components });
    this.messages.set(m.id, m);
    return m;
  }

  #edit(id: string, body: Record<string, unknown>): RestReply {
    const m = this.messages.get(id);
    if (!m || m.deleted) return notFound('Message', 10008);
    const next = this.#fields(m, body);
    if (next.content.length > 2000) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    Object.assign(m, next, { flags: m.flags & ~128 });
    m.versions.push({ content: m.content, components: m.components });
    return { status: 200, body: this.#messageBody(m) };
  }

  #delete(id: string): RestReply {
    const m = this.messages.get(id);
    if (!m || m.deleted) return notFound('Message', 10008);
    m.deleted = true;
    return { status: 204 };
  }

  #fields(m: FakeMessage, body: Record<string, unknown>): { content: string; components: unknown[]; flags: number } {
    return {
      content: typeof body.content === 'string' ? body.content : m.content,
      components: Array.isArray(body.components) ? (body.components as unknown[]) : m.components,
      flags: typeof body.flags === 'number' ? body.flags | m.flags : m.flags,
    };
  }

  #messageBody(m: FakeMessage): Record<string, unknown> {
    // Discord lists the users a message mentions (discord.js caches them from here).
    const mentions = [...m.content.matchAll(/<@!?(\d+)>/g)].map((x) => this.users.get(x[1])).filter((u) => u !== undefined);
    return { ...messagePayload(m, this.#guildOf(m.channel_id)), mentions };
  }

  #guildOf(channelId: string): string | undefined {
    return this.channels.get(channelId)?.guild_id;
  }

  #member(): Record<string, unknown> {
    return { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null };
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).start();
}
