// Discord's API objects as the real API sends them (v10, the fields discord.js reads), built
// from a few ids. Snowflakes are strings; each fake hands them out in increasing order, as
// Discord's are (discord.js sorts messages by id).

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

/** A channel the fake knows: a guild text channel, a thread, or a DM. */
export interface FakeChannel {
  id: string;
  type: 0 | 1 | 11;
  guild_id?: string;
  parent_id?: string;
  name?: string;
  /** DM only: the person on the other side. */
  recipient?: FakeUser;
}

/** A message as stored, with every version of its content (the first post, then each edit). */
export interface FakeMessage {
  id: string;
  channel_id: string;
  author: FakeUser;
  content: string;
  components: unknown[];
  flags: number;
  versions: { content: string; components: unknown[] }[];
  /** Set when posted through an interaction's webhook (reply, follow-up): the application id. */
  webhook_id?: string;
  /** Files a person attached, as Discord describes them (the bytes are served by the fake's CDN path). */
  attachments?: { id: string; filename: string; content_type: string; size: number; url: string; proxy_url: string }[];
  deleted?: boolean;
}

export class Snowflakes {
  #next: bigint;
  constructor(start: bigint) {
    this.#next = start;
  }
  next(): string {
    this.#next += 1n;
    return this.#next.toString();
  }
}

export function user(id: string, username: string, bot = false): FakeUser {
  return { id, username, global_name: bot ? null : username[0].toUpperCase() + username.slice(1), discriminator: '0', avatar: null, ...(bot ? { bot: true } : {}) };
}

export function channelPayload(c: FakeChannel, botId: string): Record<string, unknown> {
  if (c.type === 1) return { id: c.id, type: 1, flags: 0, last_message_id: null, recipients: c.recipient ? [c.recipient] : [] };
  const base = { id: c.id, type: c.type, guild_id: c.guild_id, name: c.name, flags: 0, last_message_id: null, rate_limit_per_user: 0, nsfw: false };
  if (c.type === 0) return { ...base, position: 0, parent_id: null, topic: null, permission_overwrites: [] };
  return {
    ...base,
    parent_id: c.parent_id,
    owner_id: botId,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
  };
}

export function messagePayload(m: FakeMessage, guildId: string | undefined): Record<string, unknown> {
  return {
    id: m.id,
    channel_id: m.channel_id,
    ...(guildId ? { guild_id: guildId } : {}),
    author: m.author,
    content: m.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: m.versions.length > 1 ? new Date().toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: m.attachments ?? [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: m.flags,
    components: m.components,
    ...(m.webhook_id ? { webhook_id: m.webhook_id } : {}),
  };
}

export function guildCreatePayload(guildId: string, channels: readonly FakeChannel[], botId: string): Record<string, unknown> {
  return {
    id: guildId,
    name: 'Home',
    icon: null,
    owner_id: '1',
    unavailable: false,
    large: false,
    member_count: 3,
    joined_at: new Date().toISOString(),
    features: [],
    channels: channels.filter((c) => c.type === 0).map((c) => {
      const { guild_id: _g, ...rest } = channelPayload(c, botId);
      return rest;
    }),
    threads: [],
    members: [],
    roles: [{ id: guildId, name: '@everyone', permissions: '1024', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    stickers: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
