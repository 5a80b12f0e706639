// A reactive rule (an approved plan running as agents): what the Rules view lists.
import { z } from 'zod';
import { AgentState } from './agents.ts';
import { IsoTime } from './common.ts';

export const RuleStatus = z.enum(['active', 'disabled', 'degraded', 'failed']);
export type RuleStatus = z.infer<typeof RuleStatus>;

export const Backtest = z.object({
  ran_at: IsoTime,
  window_hours: z.number(),
  would_have_fired: z.number().int(),
  summary: z.string(),
});
export type Backtest = z.infer<typeof Backtest>;

export const Rule = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  status: RuleStatus,
  agents: z.array(z.object({ name: z.string(), state: AgentState })),
  created_at: IsoTime,
  last_fired_at: IsoTime.nullable(),
  fire_count: z.number().int(),
  backtest: Backtest.nullable(),
  error: z.string().nullable(),
  /** LLM spend of the rule's agents (the ledger's rows carrying the rule id), in USD: ever, and since local midnight. */
  cost_usd: z.number(),
  cost_today_usd: z.number(),
});
export type Rule = z.infer<typeof Rule>;

/** One step of a rule evaluation: a filter clause, a condition, the cooldown, an action and HA's answer... */
export const RuleTraceStep = z.object({
  kind: z.enum(['filter', 'cooldown', 'ha', 'condition', 'sensitive', 'action', 'schedule', 'agent', 'for']),
  label: z.string(),
  ok: z.boolean(),
  detail: z.string().optional(),
  /** Milliseconds since the evaluation started. */
  ms: z.number().optional(),
});
export type RuleTraceStep = z.infer<typeof RuleTraceStep>;

/** `pending`: a `for_seconds` trigger matched and waits for its duration; `cancelled`: the state changed before it ran out. */
export const RuleTraceOutcome = z.enum(['acted', 'failed', 'filtered', 'cooldown', 'unreachable', 'condition_false', 'refused_sensitive', 'fired', 'step', 'pending', 'cancelled']);
export type RuleTraceOutcome = z.infer<typeof RuleTraceOutcome>;

/** One evaluation of a rule's trigger (or a schedule firing, or a dynamic agent's agent.trace). */
export const RuleTrace = z.object({
  id: z.number().int(),
  rule_id: z.string(),
  agent: z.string(),
  kind: z.enum(['trigger', 'schedule', 'agent']),
  at: IsoTime,
  duration_ms: z.number(),
  topic: z.string().nullable(),
  /** The incoming message, trimmed. */
  message: z.string().nullable(),
  outcome: RuleTraceOutcome,
  steps: z.array(RuleTraceStep),
});
export type RuleTrace = z.infer<typeof RuleTrace>;

/** GET /api/rules/{id}/traces: newest first, at most `limit`, optionally within from..to (ISO). */
export const RuleTracesQuery = z.object({
  from: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date-time').optional(),
  to: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date-time').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type RuleTracesQuery = z.infer<typeof RuleTracesQuery>;
