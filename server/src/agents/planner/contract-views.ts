// The planner's proposals and rules in the contract's shapes (contract/plans.ts, rules.ts), which
// the HTTP API, the panel, chat proposal events and main's /rules and /plans share.
import type { Plan, PlanStatus } from '../../contract/plans.ts';
import type { RuleVersion } from '../../contract/rule-versions.ts';
import type { Rule as HttpRule, RuleTrace } from '../../contract/rules.ts';
import { formatBacktest } from './backtest/backtest.ts';
import { describeAgent, triggerOfAgent } from './proposals/proposal-format.ts';
import type { ProposalStatus, ProposalView } from './proposals/proposal.ts';
import type { RuleView } from './rules/rule.ts';
import type { RuleVersionRecord } from './rules/version-store.ts';
import type { StoredTrace } from './traces/trace-store.ts';
import { describeIssue } from './validation/issues.ts';

const iso = (ms: number) => new Date(ms).toISOString();

const HTTP_STATUS: Record<ProposalStatus, PlanStatus> = { pending: 'pending', approved: 'approved', rejected: 'rejected', superseded: 'superseded', expired: 'expired' };

export function toHttpPlan(p: ProposalView, reasonOverride?: string): Plan {
  const v = p.validation;
  return {
    id: p.id,
    conversation_id: p.conversationId ?? null,
    title: p.plan.title,
    summary: p.plan.summary,
    status: HTTP_STATUS[p.status],
    created_at: iso(p.createdAt),
    agents: p.plan.agents.map((a) => ({ name: a.config.name, type: a.config.type, description: describeAgent(a.config, a.description), trigger: triggerOfAgent(a.config) })),
    validation: {
      ok: v.ok,
      errors: v.errors.map(describeIssue),
      warnings: [
        ...v.sensitive.map((s) => `sensitive: ${s}; approving confirms it`),
        ...v.warnings.map(describeIssue),
        ...(p.backtest ? [formatBacktest(p.backtest)] : []),
      ],
    },
    rule_id: p.ruleId ?? null,
    reason: reasonOverride ?? p.reason ?? null,
    ...(p.edit ? { edit_of: { rule_id: p.edit.ruleId, version: p.edit.version }, diff: p.edit.diff } : {}),
  };
}

export function toHttpRule(r: RuleView): HttpRule {
  const down = r.agentStates.filter((a) => a.state !== 'running');
  return {
    id: r.id,
    name: r.title,
    description: r.text,
    enabled: r.enabled,
    status: r.status,
    agents: r.agentStates.map((a) => ({ name: a.name, state: a.state === 'missing' ? 'stopped' : a.state })),
    created_at: iso(r.createdAt),
    last_fired_at: r.lastFiredAt === undefined ? null : iso(r.lastFiredAt),
    fire_count: r.fireCount,
    backtest: r.backtest && r.backtest.fires !== undefined
      ? { ran_at: iso(r.backtest.ranAt), window_hours: r.backtest.windowHours, would_have_fired: r.backtest.fires, summary: formatBacktest(r.backtest) }
      : null,
    error: r.enabled && down.length ? `not running: ${down.map((a) => `${a.name} (${a.state})`).join(', ')}` : null,
    cost_usd: r.cost.totalUsd,
    cost_today_usd: r.cost.todayUsd,
  };
}

export function toHttpTrace(t: StoredTrace): RuleTrace {
  return { id: t.id, rule_id: t.ruleId, agent: t.agent, kind: t.kind, at: iso(t.at), duration_ms: t.durationMs, topic: t.topic, message: t.message, outcome: t.outcome, steps: t.steps };
}

export function toHttpVersion(v: RuleVersionRecord, current: number): RuleVersion {
  return {
    version: v.version,
    current: v.version === current,
    title: v.plan.title,
    approved_at: iso(v.approvedAt),
    approved_by: v.approvedBy ?? null,
    source: v.source,
    request: v.request,
    summary: v.summary,
    plan_id: v.proposalId ?? null,
    agents: v.plan.agents.map((a) => ({ name: a.config.name, type: a.config.type, description: describeAgent(a.config, a.description), trigger: triggerOfAgent(a.config) })),
    diff: v.diff,
  };
}
