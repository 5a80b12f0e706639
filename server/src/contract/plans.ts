// A proposal the orchestrator makes for approval: the agents it would spawn (or the rule it would
// create) and what validation said about them. Chat shows it as a card; approve/reject act on it.
import { z } from 'zod';
import { IsoTime } from './common.ts';
import { PlanChange, PlanEditOf } from './rule-versions.ts';

export const PlanStatus = z.enum(['pending', 'approved', 'rejected', 'superseded', 'failed', 'expired']);
export type PlanStatus = z.infer<typeof PlanStatus>;

export const PlanAgent = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string(),
  /** What wakes it: "state of binary_sensor.front_door", "every 5 min", ... */
  trigger: z.string().nullable(),
});
export type PlanAgent = z.infer<typeof PlanAgent>;

export const PlanValidation = z.object({
  ok: z.boolean(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type PlanValidation = z.infer<typeof PlanValidation>;

export const Plan = z.object({
  id: z.string(),
  conversation_id: z.string().nullable(),
  title: z.string(),
  summary: z.string(),
  status: PlanStatus,
  created_at: IsoTime,
  agents: z.array(PlanAgent),
  validation: PlanValidation,
  /** Set once approved and turned into a rule. */
  rule_id: z.string().nullable(),
  /** Why it failed or was rejected. */
  reason: z.string().nullable(),
  /** Set when the plan changes a running rule: the rule and the version it was drafted from. */
  edit_of: PlanEditOf.optional(),
  /** For an edit: what changes against that version, per agent and per field. */
  diff: z.array(PlanChange).optional(),
});
export type Plan = z.infer<typeof Plan>;

export const PlanDecisionBody = z.object({ reason: z.string().max(500).optional() });
export type PlanDecisionBody = z.infer<typeof PlanDecisionBody>;
