// A rule's versions: every approved version is kept (created, edited in plain language, rolled
// back), with what changed against the one before it. The Rules view lists them with a diff and
// offers a rollback; a plan that edits a rule carries the same diff against the running version.
import { z } from 'zod';
import { IsoTime } from './common.ts';
import { Rule } from './rules.ts';

/**
 * One difference between two versions of a rule. `agent` is null for the rule itself (its title,
 * its pattern); `field` is null when a whole agent was added or removed. Fields are named as a
 * person reads them: trigger, filter, conditions, actions, cooldown, schedule, code, prompt...
 */
export const PlanChange = z.object({
  agent: z.string().nullable(),
  change: z.enum(['added', 'removed', 'changed']),
  field: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type PlanChange = z.infer<typeof PlanChange>;

/** The rule (and its running version) a plan edits. */
export const PlanEditOf = z.object({ rule_id: z.string(), version: z.number().int() });
export type PlanEditOf = z.infer<typeof PlanEditOf>;

export const RuleVersionSource = z.enum(['created', 'edit', 'rollback']);
export type RuleVersionSource = z.infer<typeof RuleVersionSource>;

export const RuleVersionAgent = z.object({ name: z.string(), type: z.string(), description: z.string(), trigger: z.string().nullable() });
export type RuleVersionAgent = z.infer<typeof RuleVersionAgent>;

export const RuleVersion = z.object({
  version: z.number().int(),
  /** The version the rule's agents run now. */
  current: z.boolean(),
  title: z.string(),
  approved_at: IsoTime,
  /** Who approved it; null when unknown (a rule from before versions were kept, an API call without a user). */
  approved_by: z.string().nullable(),
  source: RuleVersionSource,
  /** What produced it: the request, the edit ("use 30 minutes instead of 10"), or "rollback to v2". */
  request: z.string(),
  /** The change in one line. */
  summary: z.string(),
  plan_id: z.string().nullable(),
  agents: z.array(RuleVersionAgent),
  /** Against the version before it (empty for version 1). */
  diff: z.array(PlanChange),
});
export type RuleVersion = z.infer<typeof RuleVersion>;

/** POST /api/rules/{id}/rollback */
export const RuleRollbackBody = z.object({ version: z.number().int().min(1) });
export type RuleRollbackBody = z.infer<typeof RuleRollbackBody>;

/** The rule after a rollback, and the version the rollback recorded. */
export const RuleRollbackResult = z.object({ rule: Rule, version: RuleVersion });
export type RuleRollbackResult = z.infer<typeof RuleRollbackResult>;
