// Chat over HTTP: the request and blocking response of POST /api/chat, what a chat turn streams
// while it runs (ChatService yields these; the WebSocket carries them), and conversation history.
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

/** Something that happened during the turn, shown inline in the conversation. */
export const ChatActivity = z.object({
  kind: z.enum(['spawn', 'actuation', 'info']),
  text: z.string(),
  agent: z.string().nullable(),
  entity_id: z.string().nullable(),
});
export type ChatActivity = z.infer<typeof ChatActivity>;

export const ChatStreamEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({ type: z.literal('activity'), activity: ChatActivity }),
  z.object({ type: z.literal('proposal'), plan: Plan }),
  z.object({ type: z.literal('done'), reply: z.string(), agent: z.string() }),
]);
export type ChatStreamEvent = z.infer<typeof ChatStreamEvent>;

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
