// /api/chat and /api/conversations. A chat turn is one blocking POST that answers with the final
// reply; while it runs, every event of the turn is published unchanged to the conversation's live
// topic (`chat/<conversation_id>`), so a panel subscribed on the WebSocket sees the answer stream
// in. The client may choose the conversation id so it can subscribe before it posts.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { LiveHub } from '../live-hub.ts';
import { ChatRequest, ChatResponse, Conversation, ConversationSummary, type ChatEvent } from '../../contract/chat.ts';
import { jsonSchema } from '../schema.ts';
import { ServiceError } from '../../contract/service-error.ts';
import type { ChatService } from '../../contract/services.ts';
import { contextOf, need, notFound, responses } from './support.ts';

export interface ChatRouteOptions {
  service: ChatService | undefined;
  hub: LiveHub;
  /** Chat turns per caller per minute: each one may cost LLM money. */
  perMinute: number;
}

const IdParams = z.object({ id: z.string().min(1).max(64) });

export const chatRoutes: FastifyPluginAsync<ChatRouteOptions> = async (app, { service, hub, perMinute }) => {
  app.post<{ Body: ChatRequest }>(
    '/api/chat',
    {
      bodyLimit: 32 * 1024,
      config: { rateLimit: { max: perMinute, timeWindow: 60_000 } },
      schema: { body: jsonSchema(ChatRequest), response: responses(ChatResponse) },
    },
    async (req, reply) => {
      const chat = need(service, 'Chat');
      const conversationId = req.body.conversation_id ?? randomBytes(12).toString('base64url');
      const ctx = { ...contextOf(req, reply), conversationId, agent: req.body.agent };
      const publish = (event: ChatEvent) => hub.publish({ type: 'chat', conversation_id: conversationId, event });
      let done: Extract<ChatEvent, { type: 'done' }> | undefined;
      try {
        for await (const ev of chat.process(req.body.message, ctx)) {
          publish(ev);
          if (ev.type === 'done') done = ev;
        }
        if (!done) throw new Error('the chat turn ended without an answer');
      } catch (err) {
        // The panel is waiting on the stream as well as on this response: tell it too.
        const known = err instanceof ServiceError;
        publish({ type: 'error', code: known ? err.code : 'internal_error', message: known ? err.message : 'The chat turn failed' });
        throw err;
      }
      return { reply: done.reply, agent: done.agent, conversation_id: conversationId };
    },
  );

  app.get('/api/conversations', { schema: { response: responses(z.array(ConversationSummary)) } }, async (req, reply) =>
    need(service, 'Chat').conversations(contextOf(req, reply)),
  );

  app.get<{ Params: z.infer<typeof IdParams> }>(
    '/api/conversations/:id',
    { schema: { params: jsonSchema(IdParams), response: responses(Conversation) } },
    async (req, reply) => {
      const conversation = await need(service, 'Chat').conversation(req.params.id, contextOf(req, reply));
      if (!conversation) throw notFound('conversation', req.params.id);
      return conversation;
    },
  );
};
