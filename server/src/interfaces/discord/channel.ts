// The Discord channel: one discord.js client, its health as the owner sees it in GET /api/health,
// messages and interactions handed to their handlers, and notifications sent as DMs. discord.js
// reconnects and resumes a dropped gateway session itself; the channel only reflects that
// (reconnecting, connected again). A failed first login is retried with backoff on a fresh
// client, except a refused token or intent: those stop the channel with a message saying what
// to change, and cost nothing else.
import { Events, type Client } from 'discord.js';
import { systemClock, type Clock, type TimerHandle } from '../../core/clock.ts';
import type { Logger } from '../../logger.ts';
import type { ChatChannel, TurnRunner } from '../channels/channel.ts';
import type { ChannelHealth } from '../channels/health.ts';
import { splitMessage } from '../channels/split.ts';
import { UserRateLimit } from '../channels/user-rate.ts';
import { allowList, type AllowList } from './access.ts';
import { createDiscordClient, describeCloseCode, describeLoginError, type Failure } from './client.ts';
import { registerCommands } from './commands.ts';
import { handleInteraction, type InteractionDeps } from './interactions.ts';
import { handleMessage, type MessageDeps } from './messages.ts';
import { DISCORD_LIMIT } from './stream.ts';

export interface DiscordChannelOptions {
  token: string;
  allowedUsers: readonly string[];
  allowedChannels: readonly string[];
  apiRoot: string | undefined;
  runner: TurnRunner;
  logger: Logger;
  clock?: Clock;
  /** Minimum time between two edits of a streamed answer (default 1 s). */
  editIntervalMs?: number;
  /** Turns per person per minute (default 20). */
  turnsPerMinute?: number;
  /** Backoff of a failed first login: base, doubled per failure up to max (default 5 s … 5 min). */
  retryMs?: { base: number; max: number };
}

export class DiscordChannel implements ChatChannel {
  readonly name = 'discord' as const;
  readonly #opts: DiscordChannelOptions;
  readonly #allow: AllowList;
  readonly #clock: Clock;
  readonly #abort = new AbortController();
  readonly #deps: MessageDeps & InteractionDeps;
  #health: ChannelHealth = { state: 'starting' };
  #client: Client | undefined;
  #retry: TimerHandle | undefined;
  #failures = 0;
  #stopped = false;

  constructor(opts: DiscordChannelOptions) {
    this.#opts = opts;
    this.#allow = allowList(opts.allowedUsers, opts.allowedChannels);
    this.#clock = opts.clock ?? systemClock;
    this.#deps = {
      runner: opts.runner,
      clock: this.#clock,
      editIntervalMs: opts.editIntervalMs ?? 1000,
      logger: opts.logger,
      allow: this.#allow,
      rate: new UserRateLimit(opts.turnsPerMinute ?? 20, () => this.#clock.now()),
      refused: new Set(),
      decided: new Set(),
      signal: this.#abort.signal,
    };
  }

  health(): ChannelHealth {
    return { ...this.#health };
  }

  /** Returns at once: the login runs in the background and reports through health(). */
  async start(): Promise<void> {
    if (this.#allow.users.size === 0) this.#opts.logger.warn('discord: discord_allowed_users is empty, so the bot will refuse everyone');
    this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    this.#retry?.cancel();
    const client = this.#client;
    this.#client = undefined;
    await client?.destroy();
  }

  async send(to: string, text: string, signal?: AbortSignal): Promise<void> {
    const toUser = this.#allow.users.has(to);
    if (!toUser && !this.#allow.channels.has(to)) {
      throw new Error(`discord:${to} is not on discord_allowed_users or discord_allowed_channels; Wactorz sends Discord messages only to those`);
    }
    const client = this.#client;
    if (!client?.isReady()) throw new Error(`Discord is not connected (${this.#health.state}${this.#health.error ? `: ${this.#health.error}` : ''})`);
    const target = toUser ? await client.users.createDM(to) : await client.channels.fetch(to);
    if (!target?.isSendable()) throw new Error(`discord:${to} is not a channel the bot can write in`);
    for (const part of splitMessage(text, DISCORD_LIMIT)) {
      signal?.throwIfAborted();
      await target.send({ content: part, allowedMentions: { parse: [] } });
    }
  }

  #connect(): void {
    const client = createDiscordClient(this.#opts.apiRoot);
    this.#client = client;
    this.#wire(client);
    client.login(this.#opts.token).then(
      () => undefined,
      (err: unknown) => this.#loginFailed(client, describeLoginError(err)),
    );
  }

  #wire(client: Client): void {
    const { logger } = this.#opts;
    const current = (): boolean => this.#client === client && !this.#stopped;
    client.once(Events.ClientReady, (ready) => {
      if (!current()) return;
      this.#failures = 0;
      this.#health = { state: 'connected', account: ready.user.tag };
      logger.info({ account: ready.user.tag, guilds: ready.guilds.cache.size }, 'discord: connected');
      registerCommands(ready).then(
        (n) => logger.info({ commands: n }, 'discord: slash commands registered'),
        (err: unknown) => logger.warn({ err }, 'discord: slash commands could not be registered; messages and buttons still work'),
      );
    });
    // discord.js reconnects and resumes by itself; these only keep health truthful meanwhile.
    client.on(Events.ShardReconnecting, () => {
      if (current()) this.#health = { ...this.#health, state: 'reconnecting', error: 'the gateway connection dropped; discord.js is reconnecting' };
    });
    const back = (): void => {
      if (current() && client.isReady()) this.#health = { state: 'connected', account: client.user.tag };
    };
    client.on(Events.ShardResume, back);
    client.on(Events.ShardReady, back);
    // Emitted only for close codes discord.js will not recover from (4004 and the like).
    client.on(Events.ShardDisconnect, (ev) => {
      if (current()) this.#fail(describeCloseCode(ev.code));
    });
    client.on(Events.ShardError, (err) => logger.warn({ err: err.message }, 'discord: gateway error'));
    client.on(Events.Error, (err) => logger.warn({ err: err.message }, 'discord: client error'));
    client.on(Events.MessageCreate, (message) => {
      if (current()) this.#track(handleMessage(this.#deps, message));
    });
    client.on(Events.InteractionCreate, (interaction) => {
      if (current()) this.#track(handleInteraction(this.#deps, interaction));
    });
  }

  #track(work: Promise<void>): void {
    work.catch((err: unknown) => {
      if (!this.#stopped) this.#opts.logger.warn({ err }, 'discord: could not answer');
    });
  }

  #loginFailed(client: Client, failure: Failure): void {
    if (this.#client !== client || this.#stopped) return;
    if (failure.fatal) return this.#fail(failure);
    const { base, max } = this.#opts.retryMs ?? { base: 5_000, max: 300_000 };
    const delay = Math.min(base * 2 ** this.#failures++, max);
    this.#health = { state: 'reconnecting', error: `${failure.message}; retrying in ${Math.ceil(delay / 1000)} s` };
    this.#opts.logger.warn({ retryInMs: delay }, `discord: ${failure.message}`);
    this.#retry = this.#clock.setTimeout(() => {
      if (!this.#stopped) this.#connect();
    }, delay);
  }

  #fail(failure: Failure): void {
    this.#health = { state: 'failed', error: failure.message };
    this.#opts.logger.error(`discord: ${failure.message}`);
    const client = this.#client;
    this.#client = undefined;
    client?.destroy().catch(() => undefined);
  }
}
