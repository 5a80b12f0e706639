// The events of one chat turn are the contract's ChatEvent (http/models/chat.ts): the
// orchestrator emits exactly what the API and the WebSocket carry. Here: the names the
// orchestrator's own code uses for parts of it.
import type { ChatEvent } from '../../contract/chat.ts';

export type { ChatEvent, RouteKind } from '../../contract/chat.ts';

export type ChatEventType = ChatEvent['type'];

/** The final event of a turn. */
export type DoneEvent = Extract<ChatEvent, { type: 'done' }>;

/** Events a route may emit itself; `start` and `done` belong to the turn runner, `error` to the interface. */
export type RouteEvent = Exclude<ChatEvent, { type: 'start' } | { type: 'done' } | { type: 'error' }>;
