// Who is talking, through what, in which conversation. Every interface builds one of these and
// calls `process(text, context)`; nothing below the entry point reads request objects.
import type { ImagePart } from '../../llm/messages.ts';

/**
 * Where a turn came from. The channel, never the message, decides what the turn may do: see
 * trust.ts (`agent`, `mqtt` and `wyoming`, an unauthenticated Wyoming peer, are the restricted channels).
 */
export type Channel =
  | 'panel'
  | 'api'
  | 'cli'
  | 'assist'
  /** Assist through the companion integration for an HA user who is not an administrator, or from a satellite in a public room (add-on options). */
  | 'assist_limited'
  | 'agent'
  | 'mqtt'
  | 'wyoming'
  | 'telegram'
  | 'discord'
  | 'whatsapp'
  | 'test';

export interface ChatUser {
  /** Stable id (HA user id, "api", "local"...). Conversations and their state are keyed by it. */
  id: string;
  /** For answers and fact sources ("Alex"); optional. */
  name?: string;
}

export interface TurnContext {
  user: ChatUser;
  channel: Channel;
  /** Chosen by the client or the interface; scoped to the user (two users never share one). */
  conversationId: string;
  /** Aborted when the asker goes away: the turn's LLM and HA calls stop too. */
  signal?: AbortSignal;
  /** Talk to this agent directly (the HTTP API's `agent` field), as if the text began with @agent. */
  agent?: string;
  /**
   * Where the person is speaking from, when the interface knows (HA Assist through the companion
   * integration: the satellite's device and area): "turn on the light" then means that area's.
   */
  place?: TurnPlace;
  /** Images sent with the message (a photo to a chat bot), for a vision-capable model; this turn only. */
  images?: readonly ImagePart[];
  /** The language the person speaks (BCP 47, e.g. "de", "pt-BR"), when the interface knows it (Assist). */
  language?: string;
}

export interface TurnPlace {
  /** HA area id of the satellite or device. */
  areaId?: string;
  /** HA device id of the satellite. */
  deviceId?: string;
}

/** The internal key of a conversation: user and client id together, so ids never collide across users. */
export function conversationKey(ctx: Pick<TurnContext, 'user' | 'conversationId'>): string {
  return `${userKey(ctx.user)}/${ctx.conversationId}`;
}

/** A user key safe for storage (ids come from headers; keep them bounded and printable). */
export function userKey(user: ChatUser): string {
  return user.id.replace(/[^\w@.:-]/g, '_').slice(0, 128) || 'anonymous';
}
