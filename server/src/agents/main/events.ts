// What one chat turn streams to whichever interface asked (panel, API, CLI, HA Assist): text
// deltas, what main did on the way (agents spawned, deleted, delegated to, tools such as HA's own
// conversation agent), monitor notifications, plan proposals, and exactly one final `done`.
// Invariant every route keeps: the deltas concatenated are exactly `done.reply`.
import type { Plan } from '../../http/models/plans.ts';
import type { NoticeLevel } from '../monitor/notice.ts';

/** How a turn was routed; reported on `done` so interfaces and tests can tell. */
export type RouteKind =
  | 'slash'
  | 'mention'
  | 'actuate'
  | 'ha'
  | 'pipeline'
  | 'other'
  | 'followup'
  | 'no_llm';

export type ChatEvent =
  /** The turn began; every later event of this turn belongs to `turnId`. */
  | { type: 'start'; turnId: string; conversationId: string }
  | { type: 'delta'; text: string }
  /** A monitor notification prepended to this answer (its text is in the deltas too). */
  | { type: 'notification'; level: NoticeLevel; agent: string; text: string }
  /** A call main made on the user's behalf: HA's conversation agent, an agent's task, a classifier. */
  | { type: 'tool'; name: string; ok: boolean; text: string; agent?: string; entityIds?: string[] }
  | { type: 'spawn'; name: string; ok: boolean; text: string; agentType?: string; status?: 'spawned' | 'reused' | 'replaced' }
  | { type: 'delete'; name: string; ok: boolean; text: string }
  | { type: 'delegate'; agent: string; ok: boolean; text: string; result?: unknown }
  | { type: 'proposal'; plan: Plan }
  | { type: 'done'; turnId: string; conversationId: string; reply: string; agent: string; route: RouteKind };

export type ChatEventType = ChatEvent['type'];

/** The final event of a turn. */
export type DoneEvent = Extract<ChatEvent, { type: 'done' }>;

/** Events a route may emit itself; `start` and `done` belong to the turn runner. */
export type RouteEvent = Exclude<ChatEvent, { type: 'start' } | { type: 'done' }>;
