// `/rules` as text, in the original's layout: one block per rule with a status light, its agents
// (each with its live state), when it was created and when it last fired.
import { formatBacktest } from '../backtest/backtest.ts';
import type { LiveState } from '../ports.ts';
import type { RuleStatus, RuleView } from './rule.ts';

const LIGHT: Record<RuleStatus, string> = { active: '🟢', degraded: '🟡', failed: '🔴', disabled: '⏸️' };
const AGENT_LIGHT: Record<LiveState, string> = { running: '🟢', created: '🟡', paused: '⏸️', stopped: '⚪', failed: '🔴', missing: '❌' };

export function formatTime(ms: number, timezone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, ...(timezone ? { timeZone: timezone } : {}),
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function formatRule(r: RuleView, timezone?: string): string {
  const lines = [
    `${LIGHT[r.status]} [${r.id}] — ${r.text}${r.enabled ? '' : ' (disabled)'}`,
    `   agents  : ${r.agentStates.map((a) => `${AGENT_LIGHT[a.state]} ${a.name} (${a.state})`).join(', ')}`,
    `   created : ${formatTime(r.createdAt, timezone)}`,
    `   fired   : ${r.lastFiredAt === undefined ? 'never' : `${formatTime(r.lastFiredAt, timezone)} (${r.fireCount} time${r.fireCount === 1 ? '' : 's'})`}`,
  ];
  if (r.cost.totalUsd > 0) lines.push(`   LLM cost: $${r.cost.todayUsd.toFixed(4)} today, $${r.cost.totalUsd.toFixed(4)} in all`);
  if (r.backtest) lines.push(`   ${formatBacktest(r.backtest, timezone)}`);
  return lines.join('\n');
}

export function formatRules(rules: readonly RuleView[], timezone?: string): string {
  if (rules.length === 0) return 'No pipeline rules yet. Describe one ("turn on the hallway light when motion is detected") and approve the proposal.';
  return [
    `Active pipeline rules (${rules.length}):`,
    ...rules.map((r) => formatRule(r, timezone)),
    '',
    'To delete a rule: /rules delete <rule_id>',
  ].join('\n');
}
