// Chat over HTTP: the request and blocking response of POST /api/chat, what a chat turn streams
// while it runs, and conversation history. ChatEvent is the one event type of a turn: the
// orchestrator emits it, the ChatService yields it, and the WebSocket carries it unchanged inside
// a `{type: 'chat', conversation_id, event}` live event.
import { z } from 'zod';
import { ClientId, IsoTime, Slug } from './common.ts';
import { Plan } from './plans.ts';

export const MAX_CHAT_MESSAGE = 4000;

export const ChatRequest = z.object({
  // A pattern rather than trim(): Fastify validates with the JSON Schema, which cannot transform.
  message: z.string().min(1).max(MAX_CHAT_MESSAGE).regex(/\S/, 'The message is blank'),
  agent: Slug.optional(),
  conversation_id: ClientId.optional(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

export const ChatResponse = z.object({ reply: z.string(), agent: z.string(), conversation_id: z.string() });
export type ChatResponse = z.infer<typeof ChatResponse>;

/** How a turn was routed; reported on `done` so interfaces and tests can tell. */
export const RouteKind = z.enum(['slash', 'mention', 'actuate', 'ha', 'pipeline', 'other', 'followup', 'no_llm']);
export type RouteKind = z.infer<typeof RouteKind>;

export const Awaiting = z.enum(['confirmation', 'choice', 'approval']);
export type Awaiting = z.infer<typeof Awaiting>;

export const NoticeLevel = z.enum(['critical', 'warning', 'recovered']);
export type NoticeLevel = z.infer<typeof NoticeLevel>;

/**
 * What one chat turn streams: text deltas, what main did on the way (agents spawned, deleted,
 * delegated to, tools such as HA's own conversation agent), monitor notifications, plan
 * proposals, and exactly one final `done`. Invariant every route keeps: the deltas concatenated
 * are exactly `done.reply`. `error` is the interface's: the turn could not run at all.
 */
export const ChatEvent = z.discriminatedUnion('type', [
  /** The turn began; every later event of this turn belongs to `turnId`. */
  z.object({ type: z.literal('start'), turnId: z.string(), conversationId: z.string() }),
  z.object({ type: z.literal('delta'), text: z.string() }),
  /** A monitor notification prepended to this answer (its text is in the deltas too). */
  z.object({ type: z.literal('notification'), level: NoticeLevel, agent: z.string(), text: z.string() }),
  /** A call main made on the user's behalf: HA's conversation agent, an agent's task, a service call. */
  z.object({ type: z.literal('tool'), name: z.string(), ok: z.boolean(), text: z.string(), agent: z.string().optional(), entityIds: z.array(z.string()).optional() }),
  z.object({ type: z.literal('spawn'), name: z.string(), ok: z.boolean(), text: z.string(), agentType: z.string().optional(), status: z.enum(['spawned', 'reused', 'replaced']).optional() }),
  z.object({ type: z.literal('delete'), name: z.string(), ok: z.boolean(), text: z.string() }),
  z.object({ type: z.literal('delegate'), agent: z.string(), ok: z.boolean(), text: z.string(), result: z.unknown().optional() }),
  z.object({ type: z.literal('proposal'), plan: Plan }),
  z.object({
    type: z.literal('done'),
    turnId: z.string(),
    conversationId: z.string(),
    reply: z.string(),
    agent: z.string(),
    route: RouteKind,
    /**
     * The answer asks the person something that the next message in this conversation answers:
     * a sensitive action to confirm (yes/no), a choice between candidates, or a proposal to
     * approve. Voice keeps the microphone open and chat apps offer buttons. Absent: nothing waits.
     */
    awaiting: Awaiting.optional(),
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ChatEvent = z.infer<typeof ChatEvent>;

export const ConversationSummary = z.object({
  id: z.string(),
  title: z.string(),
  agent: z.string(),
  updated_at: IsoTime,
  message_count: z.number().int(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ChatMessage = z.object({
  role: z.enum(['user', 'assistant', 'activity']),
  text: z.string(),
  at: IsoTime,
  agent: z.string().nullable(),
  plan: Plan.nullable(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const Conversation = ConversationSummary.extend({ messages: z.array(ChatMessage) });
export type Conversation = z.infer<typeof Conversation>;
