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
});
export type Rule = z.infer<typeof Rule>;
