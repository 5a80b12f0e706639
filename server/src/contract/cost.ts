// LLM spend over a period, bucketed in time and split by provider and by agent, what the prompt
// cache saved, and the budget.
import { z } from 'zod';
import { IsoTime } from './common.ts';

export const CostPeriod = z.enum(['day', 'week', 'month']);
export type CostPeriod = z.infer<typeof CostPeriod>;

export const CostQuery = z.object({ period: CostPeriod.default('week') });

export const CostPoint = z.object({
  /** Start of the bucket (an hour for `day`, a day otherwise). */
  t: IsoTime,
  provider: z.string(),
  agent: z.string(),
  usd: z.number(),
  tokens_in: z.number().int(),
  tokens_out: z.number().int(),
});
export type CostPoint = z.infer<typeof CostPoint>;

export const CostTotal = z.object({ key: z.string(), usd: z.number() });

/** Input tokens served from and written to the providers' prompt caches in the period. */
export const PromptCache = z.object({
  read_tokens: z.number().int(),
  write_tokens: z.number().int(),
  /**
   * What the same calls would have cost without the cache minus what they cost: reads at the full
   * input price instead of the cached one, writes at the input price instead of the write price.
   * Negative when writes were never read back. Calls of unpriced models are left out.
   */
  saved_usd: z.number(),
});
export type PromptCache = z.infer<typeof PromptCache>;

export const CostReport = z.object({
  period: CostPeriod,
  from: IsoTime,
  to: IsoTime,
  total_usd: z.number(),
  points: z.array(CostPoint),
  by_provider: z.array(CostTotal),
  by_agent: z.array(CostTotal),
  prompt_cache: PromptCache,
});
export type CostReport = z.infer<typeof CostReport>;

const Limit = z.number().nonnegative().nullable();

export const Budget = z.object({
  daily_usd: Limit,
  weekly_usd: Limit,
  monthly_usd: Limit,
  spent: z.object({ day: z.number(), week: z.number(), month: z.number() }),
  /** `provider:model` used instead of refusing once a limit is reached. */
  fallback: z.string().nullable(),
  exhausted: z.boolean(),
});
export type Budget = z.infer<typeof Budget>;

/** null removes a limit; an absent field keeps it. */
export const BudgetUpdate = z.strictObject({ daily_usd: Limit.optional(), weekly_usd: Limit.optional(), monthly_usd: Limit.optional() });
export type BudgetUpdate = z.infer<typeof BudgetUpdate>;
