// /api/chat and /api/conversations. A chat turn is one blocking POST that answers with the final
// reply; while it runs, every delta, activity and proposal is published to the conversation's
// live topic (`chat/<conversation_id>`), so a panel subscribed on the WebSocket sees the answer
// stream in. The client may choose the conversation id so it can subscribe before it posts.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { LiveHub } from '../live-hub.ts';
import { ChatRequest, ChatResponse, Conversation, ConversationSummary, type ChatStreamEvent } from '../models/chat.ts';
import { jsonSchema } from '../schema.ts';
import { ServiceError } from '../service-error.ts';
import type { ChatService } from '../services.ts';
import { contextOf, need, notFound, responses } from './support.ts';

export interface ChatRouteOptions {
  service: ChatService | undefined;
  hub: LiveHub;
  /** Chat turns per caller per minute: each one may cost LLM money. */
  perMinute: number;
}

const IdParams = z.object({ id: z.string().min(1).max(64) });
const DEFAULT_AGENT = 'main';

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
      let streamed = '';
      let done: Extract<ChatStreamEvent, { type: 'done' }> | undefined;
      try {
        for await (const ev of chat.process(req.body.message, ctx)) {
          switch (ev.type) {
            case 'delta':
              streamed += ev.text;
              hub.publish({ type: 'chat.delta', conversation_id: conversationId, text: ev.text });
              break;
            case 'activity':
              hub.publish({ type: 'chat.activity', conversation_id: conversationId, activity: ev.activity });
              break;
            case 'proposal':
              hub.publish({ type: 'chat.proposal', conversation_id: conversationId, plan: ev.plan });
              break;
            case 'done':
              done = ev;
              break;
          }
        }
      } catch (err) {
        // The panel is waiting on the stream as well as on this response: tell it too.
        const known = err instanceof ServiceError;
        hub.publish({ type: 'chat.error', conversation_id: conversationId, code: known ? err.code : 'internal_error', message: known ? err.message : 'The chat turn failed' });
        throw err;
      }
      // A service that ends without `done` still streamed an answer: that text is the reply.
      const result = { reply: done?.reply ?? streamed, agent: done?.agent ?? req.body.agent ?? DEFAULT_AGENT, conversation_id: conversationId };
      hub.publish({ type: 'chat.done', conversation_id: conversationId, reply: result.reply, agent: result.agent });
      return result;
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
