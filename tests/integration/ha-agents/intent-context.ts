// A chat turn's context as the orchestrator hands it to intent handlers, recording what was emitted.
import type { IntentContext } from '../../../server/src/agents/main/intents.ts';
import type { RouteEvent } from '../../../server/src/agents/main/events.ts';

export function turn(conversationId = 'c1', userId = 'alex'): IntentContext & { events: RouteEvent[] } {
  const events: RouteEvent[] = [];
  return {
    turn: { user: { id: userId }, channel: 'test', conversationId },
    signal: new AbortController().signal,
    emit: (e) => void events.push(e),
    events,
  };
}
