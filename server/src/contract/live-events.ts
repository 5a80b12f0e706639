// Events pushed to the panel as they happen. Every area publishes into the LiveHub with one of
// these shapes (checked there), and the WebSocket carries them unchanged, so this union is the
// contract between the server and the panel's live views.
import { z } from 'zod';
import { AgentState, LogLevel } from './agents.ts';
import { ChatEvent } from './chat.ts';
import { IsoTime } from './common.ts';
import { Plan } from './plans.ts';
import { RuleStatus, RuleTraceOutcome } from './rules.ts';

export const LiveEvent = z.discriminatedUnion('type', [
  /** One event of a chat turn, exactly as the orchestrator emitted it. */
  z.object({ type: z.literal('chat'), conversation_id: z.string(), event: ChatEvent }),
  z.object({ type: z.literal('agent.heartbeat'), agent: z.string(), at: IsoTime }),
  z.object({ type: z.literal('agent.state'), agent: z.string(), state: AgentState }),
  z.object({ type: z.literal('agent.removed'), agent: z.string() }),
  z.object({ type: z.literal('agent.log'), agent: z.string(), level: LogLevel, message: z.string(), at: IsoTime }),
  z.object({ type: z.literal('agent.error'), agent: z.string(), message: z.string(), at: IsoTime }),
  z.object({ type: z.literal('cost.update'), provider: z.string(), agent: z.string(), usd: z.number(), spent_today_usd: z.number() }),
  z.object({ type: z.literal('rule.status'), rule_id: z.string(), status: RuleStatus, enabled: z.boolean(), last_fired_at: IsoTime.nullable() }),
  z.object({ type: z.literal('rule.removed'), rule_id: z.string() }),
  /** A rule was evaluated (fired or not); at most one a second per rule, the last outcome kept. No message content. */
  z.object({ type: z.literal('rule.trace'), rule_id: z.string(), outcome: RuleTraceOutcome, at: IsoTime }),
  z.object({ type: z.literal('plan.update'), plan: Plan }),
  z.object({ type: z.literal('node.status'), node: z.string(), online: z.boolean() }),
  z.object({ type: z.literal('memory.update'), key: z.string(), removed: z.boolean() }),
  /** Every fact was forgotten at once (Forget all, /memory clear through the API). */
  z.object({ type: z.literal('memory.cleared'), forgotten: z.number().int() }),
  z.object({ type: z.literal('notification'), level: z.enum(['info', 'warning', 'error']), title: z.string(), message: z.string() }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;
export type LiveEventType = LiveEvent['type'];

/**
 * The topic a client subscribes to. Chat is per conversation and logs are per agent, so a panel
 * only receives the stream it is looking at; everything else is one topic per view.
 */
export function topicOf(event: LiveEvent): string {
  switch (event.type) {
    case 'chat':
      return `chat/${event.conversation_id}`;
    case 'agent.log':
      return `logs/${event.agent}`;
    case 'agent.heartbeat':
    case 'agent.state':
    case 'agent.removed':
    case 'agent.error':
      return 'agents';
    case 'cost.update':
      return 'cost';
    case 'rule.status':
    case 'rule.removed':
    case 'rule.trace':
      return 'rules';
    case 'plan.update':
      return 'plans';
    case 'node.status':
      return 'nodes';
    case 'memory.update':
    case 'memory.cleared':
      return 'memory';
    case 'notification':
      return 'notifications';
  }
}

/** Subscription patterns: an exact topic, or a prefix ending in `/*` (`chat/*`, `logs/*`). */
export const TopicPattern = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.-]+(\/([A-Za-z0-9_.-]+|\*))?$/);

export function topicMatches(pattern: string, topic: string): boolean {
  return pattern.endsWith('/*') ? topic.startsWith(pattern.slice(0, -1)) : pattern === topic;
}
