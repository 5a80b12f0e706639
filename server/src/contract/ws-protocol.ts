// The messages of /api/ws. Authentication happens before the upgrade (the access guard sees the
// ingress headers, or the API key offered as the `wactorz.bearer.<base64url key>` subprotocol next
// to `wactorz.v1`; never a query string, which ends up in logs). After that the client only says
// which topics it wants; the server pushes events and pings.
//
//   server → hello {boot_id, seq, ping_interval_ms, user}
//   client → subscribe {topics, since?}   server → subscribed {topics, replayed} | resync {reason}
//   server → event {seq, at, topic, event} ...
//   client → unsubscribe {topics}         server → unsubscribed {topics}
//   client → ping                          server → pong
//   server → error {code, message}         (a bad message; the connection stays open)
import { z } from 'zod';
import { Identity } from './identity.ts';
import { LiveEvent, TopicPattern } from './live-events.ts';

export const MAX_TOPICS_PER_CONNECTION = 64;

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    topics: z.array(TopicPattern).min(1).max(MAX_TOPICS_PER_CONNECTION),
    /** The last seq the client saw on an earlier connection of the same boot. */
    since: z.number().int().nonnegative().optional(),
    boot_id: z.string().optional(),
  }),
  z.object({ type: z.literal('unsubscribe'), topics: z.array(TopicPattern).min(1).max(MAX_TOPICS_PER_CONNECTION) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), boot_id: z.string(), seq: z.number(), ping_interval_ms: z.number(), user: Identity }),
  z.object({ type: z.literal('subscribed'), topics: z.array(z.string()), replayed: z.number() }),
  z.object({ type: z.literal('unsubscribed'), topics: z.array(z.string()) }),
  z.object({ type: z.literal('resync'), topics: z.array(z.string()), reason: z.enum(['restarted', 'gap']) }),
  z.object({ type: z.literal('event'), seq: z.number(), at: z.string(), topic: z.string(), event: LiveEvent }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
