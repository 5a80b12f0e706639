// A pipeline proposal and its state machine: pending -> approved | rejected | superseded |
// expired. Every other move is refused, so a plan is spawned at most once and a rejected,
// superseded or expired one never comes back. Pure: the store persists what transition() returns.
import type { PlanChange } from '../../../contract/rule-versions.ts';
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import type { BacktestResult } from '../backtest/backtest.ts';
import type { Pattern, TriggerSpec } from '../pipeline/pipeline-plan.ts';
import type { ValidationReport } from '../validation/issues.ts';

export const PROPOSAL_STATUSES = ['pending', 'approved', 'rejected', 'superseded', 'expired'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const PROPOSAL_TTL_MS = 24 * 3600 * 1000;

export interface ProposedAgent {
  config: SpawnConfig;
  description: string;
}

export interface ProposalPlan {
  pattern: Pattern;
  title: string;
  summary: string;
  agents: ProposedAgent[];
  trigger?: TriggerSpec;
}

/** A proposal that changes a running rule: the rule, the version it was drafted from, and what changes. */
export interface ProposalEdit {
  ruleId: string;
  version: number;
  diff: PlanChange[];
}

export interface Proposal {
  id: string;
  /** The client's conversation id (with requestedBy, the conversation a "yes" must come from). */
  conversationId?: string;
  requestedBy?: string;
  /** The user's request, corrections appended. */
  request: string;
  status: ProposalStatus;
  plan: ProposalPlan;
  validation: ValidationReport;
  backtest?: BacktestResult;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  supersededBy?: string;
  supersedes?: string;
  ruleId?: string;
  /** Why it was rejected, superseded or expired, or why the last approval failed. */
  reason?: string;
  /** Set for an edit of a running rule; approving it swaps that rule's agents (never a new rule). */
  edit?: ProposalEdit;
}

export type ProposalView = Readonly<Proposal>;

export type ProposalEvent =
  | { type: 'approve'; ruleId: string }
  | { type: 'reject'; reason?: string }
  | { type: 'supersede'; by: string; reason?: string }
  | { type: 'expire' };

export type Transition = { ok: true; proposal: Proposal } | { ok: false; error: string };

export function transition(p: Proposal, event: ProposalEvent, now: number): Transition {
  if (p.status !== 'pending') return { ok: false, error: `plan ${p.id} is ${p.status}${p.reason ? ` (${p.reason})` : ''}; only a pending plan can be ${pastTense(event)}` };
  if (event.type !== 'expire' && now >= p.expiresAt) return { ok: false, error: `plan ${p.id} expired ${hoursAgo(now - p.expiresAt)}; ask again for a fresh plan` };
  const base = { ...p, updatedAt: now };
  switch (event.type) {
    case 'approve':
      if (!p.validation.ok) return { ok: false, error: `plan ${p.id} did not pass validation, so it cannot be approved: ${p.validation.errors.map((e) => e.message).join('; ')}` };
      return { ok: true, proposal: { ...base, status: 'approved', ruleId: event.ruleId, reason: undefined } };
    case 'reject':
      return { ok: true, proposal: { ...base, status: 'rejected', reason: event.reason ?? 'rejected by the user' } };
    case 'supersede':
      return { ok: true, proposal: { ...base, status: 'superseded', supersededBy: event.by, reason: event.reason ?? `superseded by plan ${event.by}` } };
    case 'expire':
      return { ok: true, proposal: { ...base, status: 'expired', reason: 'not approved within 24 hours' } };
  }
}

function pastTense(e: ProposalEvent): string {
  switch (e.type) {
    case 'approve':
      return 'approved';
    case 'reject':
      return 'rejected';
    case 'supersede':
      return 'corrected';
    case 'expire':
      return 'expired';
  }
}

function hoursAgo(ms: number): string {
  const h = Math.round(ms / 3_600_000);
  return h < 1 ? 'just now' : `${h} h ago`;
}

/** Short ids people can type: `/plans approve 7f3a9c2e`. */
export function newPlanId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 8);
}
