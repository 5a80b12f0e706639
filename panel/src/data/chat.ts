// Chat: one turn streams over the live connection while POST /api/chat runs. The panel picks the
// conversation id so it can subscribe to `chat/<id>` before posting and miss no delta.
import { apiGet, apiPost, seg } from './api.ts';
import { createCollection } from './collection.ts';
import { live, subscribeLive } from './live.ts';
import type { ChatEvent, ChatResponse, Conversation, ConversationSummary } from './types.ts';

export type { ChatEvent };

/** crypto.randomUUID needs a secure context, which plain-HTTP Home Assistant is not. */
export function newConversationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const SUBSCRIBE_WAIT_MS = 3000;

export async function sendChat(message: string, conversationId: string, onEvent: (e: ChatEvent) => void, agent?: string): Promise<ChatResponse> {
  const topic = `chat/${conversationId}`;
  const off = subscribeLive({
    topics: [topic],
    onEvent: (e) => {
      if (e.type === 'chat' && e.conversation_id === conversationId) onEvent(e.event);
    },
  });
  try {
    // Without a live connection the blocking reply still arrives; only the streaming is lost.
    await Promise.race([live.ready(topic), new Promise((r) => setTimeout(r, SUBSCRIBE_WAIT_MS))]);
    return await apiPost<ChatResponse>('api/chat', { message, conversation_id: conversationId, ...(agent ? { agent } : {}) });
  } finally {
    off();
  }
}

export const conversationsCollection = createCollection<ConversationSummary[]>({
  topics: ['chat/*'],
  fetch: (signal) => apiGet<ConversationSummary[]>('api/conversations', signal),
  // A finished turn changes the list (a new conversation, a new time); deltas do not.
  apply: (list, e) => (e.type === 'chat' && e.event.type === 'done' ? 'refetch' : list),
});

export function fetchConversation(id: string, signal?: AbortSignal): Promise<Conversation> {
  return apiGet<Conversation>(`api/conversations/${seg(id)}`, signal);
}
