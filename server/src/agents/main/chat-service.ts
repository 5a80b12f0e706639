// The HTTP API's ChatService on top of the orchestrator: the request's identity becomes the chat
// user (so each HA user has their own conversations), the orchestrator's events become the
// API's stream events, and the transcript answers GET /api/conversations.
import type { Identity } from '../../http/access-policy.ts';
import type { ChatActivity, ChatStreamEvent, Conversation, ConversationSummary } from '../../http/models/chat.ts';
import type { ChatContext, ChatService, RequestContext } from '../../http/services.ts';
import type { ChatEvent } from './events.ts';
import type { Orchestrator } from './orchestrator.ts';
import { userKey, type Channel, type ChatUser } from './turn-context.ts';

export function userOf(identity: Identity): ChatUser {
  const id = identity.userId ?? (identity.via === 'api_key' ? 'api' : 'local');
  const name = identity.displayName ?? identity.userName;
  return name ? { id, name } : { id };
}

function channelOf(identity: Identity): Channel {
  return identity.via === 'api_key' ? 'api' : 'panel';
}

function activity(kind: ChatActivity['kind'], text: string, agent?: string, entityId?: string): ChatStreamEvent {
  return { type: 'activity', activity: { kind, text, agent: agent ?? null, entity_id: entityId ?? null } };
}

/** The API's view of one orchestrator event; undefined for events it has no shape for. */
export function toStreamEvent(e: ChatEvent): ChatStreamEvent | undefined {
  switch (e.type) {
    case 'delta':
      return { type: 'delta', text: e.text };
    case 'spawn':
      return activity(e.ok ? 'spawn' : 'info', e.text, e.name);
    case 'delete':
      return activity('info', e.text, e.name);
    case 'delegate':
      return activity('info', `${e.agent}: ${e.text}`, e.agent);
    case 'tool': {
      const entity = e.entityIds?.[0];
      return activity(e.ok && entity !== undefined ? 'actuation' : 'info', e.text, e.agent, entity);
    }
    case 'proposal':
      return { type: 'proposal', plan: e.plan };
    case 'done':
      return { type: 'done', reply: e.reply, agent: e.agent };
    case 'start':
    case 'notification':
      // Notifications are already part of the streamed text; `start` is for in-process callers.
      return undefined;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createChatService(orchestrator: Orchestrator): ChatService {
  return {
    async *process(text: string, ctx: ChatContext): AsyncIterable<ChatStreamEvent> {
      const turn = {
        user: userOf(ctx.identity),
        channel: channelOf(ctx.identity),
        conversationId: ctx.conversationId,
        signal: ctx.signal,
        ...(ctx.agent !== undefined ? { agent: ctx.agent } : {}),
      };
      for await (const e of orchestrator.process(text, turn)) {
        const out = toStreamEvent(e);
        if (out) yield out;
      }
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
