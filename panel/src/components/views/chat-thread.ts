// What a conversation shows: user and assistant bubbles (assistant text as Markdown, growing
// while it streams), inline activity (spawned agents, device actions) and proposal cards.
import type { ChatActivity, ChatMessage, Plan } from '../../data/types.ts';

export type ThreadItem =
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; text: string; agent: string; streaming: boolean }
  | { kind: 'activity'; activity: ChatActivity }
  | { kind: 'proposal'; plan: Plan }
  | { kind: 'error'; text: string };

export function itemsFromHistory(messages: ChatMessage[]): ThreadItem[] {
  return messages.flatMap((m): ThreadItem[] => {
    const items: ThreadItem[] = [];
    if (m.role === 'user') items.push({ kind: 'user', text: m.text });
    else if (m.role === 'assistant') items.push({ kind: 'assistant', text: m.text, agent: m.agent ?? 'main', streaming: false });
    else items.push({ kind: 'activity', activity: { kind: 'info', text: m.text, agent: m.agent, entity_id: null } });
    if (m.plan) items.push({ kind: 'proposal', plan: m.plan });
    return items;
  });
}

export const ACTIVITY_ICON: Record<ChatActivity['kind'], string> = { spawn: '🤖', actuation: '💡', info: 'ℹ️' };
