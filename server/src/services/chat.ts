// The HTTP API's ChatService on top of the orchestrator: the request's identity becomes the chat
// user (so each HA user has their own conversations), the orchestrator's events are the API's
// (one ChatEvent type, passed through), and the transcript answers GET /api/conversations.
import type { Identity } from '../contract/identity.ts';
import type { ChatEvent, Conversation, ConversationSummary } from '../contract/chat.ts';
import type { ChatContext, ChatService, RequestContext } from '../contract/services.ts';
import type { Orchestrator } from '../agents/main/orchestrator.ts';
import { userKey, type Channel, type ChatUser } from '../agents/main/turn-context.ts';

export function userOf(identity: Identity): ChatUser {
  const id = identity.userId ?? (identity.via === 'api_key' ? 'api' : identity.via === 'integration' ? 'ha-integration' : 'local');
  const name = identity.displayName ?? identity.userName;
  return name ? { id, name } : { id };
}

function channelOf(ctx: ChatContext): Channel {
  return ctx.channel ?? (ctx.identity.via === 'api_key' || ctx.identity.via === 'integration' ? 'api' : 'panel');
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createChatService(orchestrator: Orchestrator): ChatService {
  return {
    process(text: string, ctx: ChatContext): AsyncIterable<ChatEvent> {
      const turn = {
        user: userOf(ctx.identity),
        channel: channelOf(ctx),
        conversationId: ctx.conversationId,
        signal: ctx.signal,
        ...(ctx.agent !== undefined ? { agent: ctx.agent } : {}),
      };
      return orchestrator.process(text, turn);
    },

    async conversations(ctx: RequestContext): Promise<ConversationSummary[]> {
      return orchestrator.history.list(userKey(userOf(ctx.identity))).map((c) => ({
        id: c.id,
        title: c.title,
        agent: c.agent,
        updated_at: iso(c.updatedAt),
        message_count: c.messageCount,
      }));
    },

    async conversation(id: string, ctx: RequestContext): Promise<Conversation | undefined> {
      const c = orchestrator.history.get(userKey(userOf(ctx.identity)), id);
      if (!c) return undefined;
      return {
        id: c.id,
        title: c.title,
        agent: c.agent,
        updated_at: iso(c.updatedAt),
        message_count: c.messageCount,
        messages: c.messages.map((m) => ({ role: m.role, text: m.text, at: iso(m.at), agent: m.agent, plan: null })),
      };
    },
  };
}
