// Who the bot answers, where, and in which conversation. Trust comes from the allow lists alone
// (STYLE 20): a DM from an allowed user; in a guild, an allowed user in an allowed channel or in
// a thread of one. A stranger's DM gets one polite refusal; a stranger in a channel is ignored
// (answering would tell everyone there that the bot exists and whom it serves). Nothing runs for
// either. The checks read ids only: names and message text decide nothing.

export interface AllowList {
  users: ReadonlySet<string>;
  channels: ReadonlySet<string>;
}

export function allowList(users: readonly string[], channels: readonly string[]): AllowList {
  return { users: new Set(users), channels: new Set(channels) };
}

/** Where a message or an interaction came from. */
export type Place =
  | { kind: 'dm'; channelId: string }
  | { kind: 'channel'; channelId: string }
  | { kind: 'thread'; channelId: string; parentId: string | null }
  /** Voice, forum posts' parents, group DMs: never served. */
  | { kind: 'other'; channelId: string };

/** discord.js ChannelType values the bot distinguishes (a subset of discord-api-types'). */
const DM = 1;
const THREAD_TYPES = new Set([10, 11, 12]);
const TEXT_TYPES = new Set([0, 5]);

/** The place of a channel as discord.js gives it (a partial DM channel has a type too). */
export function placeOf(channel: { id: string; type: number; parentId?: string | null }): Place {
  if (channel.type === DM) return { kind: 'dm', channelId: channel.id };
  if (THREAD_TYPES.has(channel.type)) return { kind: 'thread', channelId: channel.id, parentId: channel.parentId ?? null };
  if (TEXT_TYPES.has(channel.type)) return { kind: 'channel', channelId: channel.id };
  return { kind: 'other', channelId: channel.id };
}

export type Decision =
  | { action: 'serve'; conversationId: string; startThread: boolean }
  | { action: 'refuse' }
  | { action: 'ignore' };

/** Is the place one the bot talks in at all (for anyone)? */
export function placeAllowed(list: AllowList, place: Place): boolean {
  switch (place.kind) {
    case 'dm':
      return true;
    case 'channel':
      return list.channels.has(place.channelId);
    case 'thread':
      return place.parentId !== null && list.channels.has(place.parentId);
    case 'other':
      return false;
  }
}

/**
 * A message: served, refused (a stranger's DM) or ignored. In an allowed channel every message
 * of an allowed user is served, no mention needed: the owner lists channels meant for Wactorz. A
 * message in the channel itself starts a thread that becomes its conversation; a message in a
 * thread continues that thread's conversation.
 */
export function decideMessage(list: AllowList, authorId: string, place: Place): Decision {
  if (!placeAllowed(list, place)) return { action: 'ignore' };
  if (!list.users.has(authorId)) return place.kind === 'dm' ? { action: 'refuse' } : { action: 'ignore' };
  return { action: 'serve', conversationId: conversationOf(place), startThread: place.kind === 'channel' };
}

/**
 * An interaction (slash command, button): Discord shows its answer only to the person who
 * asked when it is ephemeral, so a stranger anywhere gets a refusal instead of silence, and it
 * never answers in the channel itself. Slash commands answer in place: no thread.
 */
export function decideInteraction(list: AllowList, userId: string, place: Place): Decision {
  if (!placeAllowed(list, place) || !list.users.has(userId)) return { action: 'refuse' };
  return { action: 'serve', conversationId: conversationOf(place), startThread: false };
}

/**
 * The Wactorz conversation of a place: one per DM, thread or channel. The orchestrator scopes
 * conversations by user too, so two people in one thread keep separate conversations.
 */
export function conversationOf(place: Place): string {
  switch (place.kind) {
    case 'dm':
      return `discord-dm-${place.channelId}`;
    case 'thread':
      return `discord-thread-${place.channelId}`;
    case 'channel':
    case 'other':
      return `discord-channel-${place.channelId}`;
  }
}

/** The orchestrator's user for a Discord account: `discord:<user id>`, as notification targets name it. */
export function userIdOf(discordUserId: string): string {
  return `discord:${discordUserId}`;
}

export const REFUSAL = "Sorry, I only talk with the people my owner has allowed. If that should include you, ask them to add your Discord user id to Wactorz's discord_allowed_users.";
