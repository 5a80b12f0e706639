// What a conversation shows: user and assistant bubbles (assistant text as Markdown, growing
// while it streams), inline activity (spawned agents, device actions) and proposal cards.
import type { ChatEvent, ChatMessage, Plan } from '../../data/types.ts';
import { ICON } from '../../icons.ts';

/** Something that happened during the turn, shown inline in the conversation. */
export interface ChatActivity {
  kind: 'spawn' | 'actuation' | 'info';
  text: string;
  agent: string | null;
  entity_id: string | null;
}

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

/** The line a turn's event shows in the thread; undefined for events that are text or not shown. */
export function activityOf(e: ChatEvent): ChatActivity | undefined {
  const line = (kind: ChatActivity['kind'], text: string, agent?: string, entity?: string): ChatActivity => ({ kind, text, agent: agent ?? null, entity_id: entity ?? null });
  switch (e.type) {
    case 'spawn':
      return line(e.ok ? 'spawn' : 'info', e.text, e.name);
    case 'delete':
      return line('info', e.text, e.name);
    case 'delegate':
      return line('info', `${e.agent}: ${e.text}`, e.agent);
    case 'tool': {
      const entity = e.entityIds?.[0];
      return line(e.ok && entity !== undefined ? 'actuation' : 'info', e.text, e.agent, entity);
    }
    default:
      // Deltas are the answer; notifications are in its text already; start/done/error/proposal have their own places.
      return undefined;
  }
}

/**
 * The items a thread shows: an activity line whose text the same turn's answer already carries
 * (an agent's result that main streams as the answer too) is left out, so nothing reads twice.
 * Decided at render time, so it holds while the answer streams and for histories saved before
 * the orchestrator stopped storing such lines.
 */
export function shownItems(items: ThreadItem[]): ThreadItem[] {
  const answers = new Map<number, string>();
  let turn = 0;
  const turnOf = items.map((i) => {
    if (i.kind === 'user') turn++;
    if (i.kind === 'assistant') answers.set(turn, (answers.get(turn) ?? '') + i.text);
    return turn;
  });
  return items.filter((i, n) => i.kind !== 'activity' || !repeats(i.activity.text, answers.get(turnOf[n]) ?? ''));
}

function repeats(line: string, answer: string): boolean {
  const text = line.trim();
  return text !== '' && answer.includes(text);
}

/** The icon (an MDI path) of an activity chip. */
export const ACTIVITY_ICON: Record<ChatActivity['kind'], string> = { spawn: ICON.spawn, actuation: ICON.actuation, info: ICON.info };
