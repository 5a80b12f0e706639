// How a proposal reads in chat (and in `/plans show`): the agents and what each does, the
// validation result, the sensitive actions approving confirms, the backtest, and how to answer.
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import type { HaAction } from '../../../ha/action.ts';
import type { Schedule } from '../../spawn-config/schedule.ts';
import { formatBacktest } from '../backtest/backtest.ts';
import { PATTERN_LABELS } from '../pipeline/pipeline-plan.ts';
import { formatTime } from '../rules/rule-format.ts';
import { describeIssue } from '../validation/issues.ts';
import { agentFacts } from '../validation/rule-graph.ts';
import { formatDiff } from '../rules/rule-diff.ts';
import type { ProposalView } from './proposal.ts';

const STATUS_ICON = { pending: '⏳', approved: '✅', rejected: '✖️', superseded: '↪️', expired: '⌛' } as const;

export function formatAction(a: HaAction): string {
  const targets = [...(a.target?.entity_id ?? []), ...(a.target?.area_id ?? []).map((x) => `area ${x}`), ...(a.target?.device_id ?? []).map((x) => `device ${x}`)];
  const data = Object.keys(a.service_data).length ? ` ${JSON.stringify(a.service_data)}` : '';
  return `${a.domain}.${a.service}${targets.length ? ` ${targets.join(', ')}` : ''}${data}`;
}

export function formatSchedule(s: Schedule): string {
  switch (s.kind) {
    case 'daily':
      return `every day at ${s.at}`;
    case 'weekly':
      return `at ${s.at} on ${s.days.join(', ')}`;
    case 'interval':
      return s.seconds % 3600 === 0 ? `every ${s.seconds / 3600} h` : s.seconds % 60 === 0 ? `every ${s.seconds / 60} min` : `every ${s.seconds} s`;
    case 'once':
      return `once at ${s.at}`;
    case 'cron':
      return `on cron "${s.expr}"`;
    case 'sun':
      return `at ${s.event}${s.offset ? ` ${s.offset > 0 ? '+' : ''}${Math.round(s.offset / 60)} min` : ''}`;
  }
}

/** What wakes an agent, in words: "state of binary_sensor.front_door", "every day at 00:00". */
export function triggerOfAgent(c: SpawnConfig): string | null {
  switch (c.type) {
    case 'ha_actuator':
      return c.mqtt_topics.join(', ');
    case 'scheduled':
      return formatSchedule(c.schedule);
    case 'dynamic': {
      const f = agentFacts(c);
      return f.consumes.length ? f.consumes.join(', ') : `every ${c.poll_interval} s`;
    }
    case 'llm':
      return null;
  }
}

export function describeAgent(c: SpawnConfig, description: string): string {
  switch (c.type) {
    case 'ha_actuator': {
      const filter = c.detection_filter && Object.keys(c.detection_filter).length ? ` where ${Object.entries(c.detection_filter).map(([k, v]) => `${k} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : `= ${JSON.stringify(v)}`}`).join(' and ')}` : '';
      const conds = c.conditions.length ? `, if ${c.conditions.map((x) => `${x.entity_id}${x.attribute === 'state' ? '' : `.${x.attribute}`} ${x.operator} ${JSON.stringify(x.value)}`).join(' and ')}` : '';
      return `on ${c.mqtt_topics.join(', ')}${filter}${conds}: ${c.actions.map(formatAction).join('; ')} (cooldown ${c.cooldown_seconds} s)`;
    }
    case 'scheduled':
      return `${formatSchedule(c.schedule)}: publishes ${c.publish_topic}${c.actions.length ? ` and calls ${c.actions.map(formatAction).join('; ')}` : ''}`;
    case 'dynamic': {
      const f = agentFacts(c);
      const parts = [description || c.description || 'custom code'];
      if (f.consumes.length) parts.push(`listens to ${f.consumes.join(', ')}`);
      if (f.produces.length) parts.push(`publishes ${f.produces.join(', ')}`);
      if (f.actions.length) parts.push(`calls ${[...new Set(f.actions.map((a) => `${a.domain}.${a.service}${a.entityIds.length ? ` ${a.entityIds.join(', ')}` : ''}`))].join('; ')}`);
      if (f.code?.notifies) parts.push('sends a notification');
      return parts.join('; ');
    }
    case 'llm':
      return description || c.description;
  }
}

export function formatProposal(p: ProposalView, timezone?: string): string {
  const pattern = PATTERN_LABELS[p.plan.pattern];
  const lines = [`${STATUS_ICON[p.status]} Plan ${p.id} — ${p.edit ? `edit of rule ${p.edit.ruleId}: ` : ''}${p.plan.title} (${pattern})`];
  if (p.plan.summary) lines.push(p.plan.summary);
  if (p.edit) lines.push('', `Changes from version ${p.edit.version} (running now):`, ...formatDiff(p.edit.diff));
  lines.push('', 'Agents:');
  p.plan.agents.forEach((a, i) => {
    lines.push(`${i + 1}. ${a.config.name} (${a.config.type}): ${describeAgent(a.config, a.description)}`);
  });
  lines.push('');
  const v = p.validation;
  if (v.ok) lines.push(`Validation: ✅ passed${v.warnings.length ? ` with ${v.warnings.length} warning${v.warnings.length === 1 ? '' : 's'}` : ''}`);
  else lines.push(`Validation: ❌ ${v.errors.length} problem${v.errors.length === 1 ? '' : 's'}`, ...v.errors.map((e) => `  - ${describeIssue(e)}`));
  lines.push(...v.warnings.map((w) => `  ⚠️ ${describeIssue(w)}`));
  if (v.sensitive.length) lines.push(`🔐 Sensitive: ${v.sensitive.join(', ')}. Approving this plan confirms these actions.`);
  if (p.backtest) lines.push(formatBacktest(p.backtest, timezone));
  lines.push('');
  switch (p.status) {
    case 'pending':
      lines.push(v.ok
        ? `Reply "yes" to approve (or /plans approve ${p.id}), "no" to reject, or tell me what to change. This plan expires ${formatTime(p.expiresAt, timezone)}.`
        : `This plan cannot be approved as it is. Tell me what to change, or "no" to drop it.`);
      break;
    case 'approved':
      lines.push(p.edit ? `Approved: rule ${p.edit.ruleId} runs this version.` : `Approved: running as rule ${p.ruleId ?? '?'}.`);
      break;
    case 'rejected':
    case 'superseded':
    case 'expired':
      lines.push(`${p.status[0].toUpperCase()}${p.status.slice(1)}${p.reason ? `: ${p.reason}` : ''}.`);
      break;
  }
  return lines.join('\n');
}

export function formatProposalList(list: readonly ProposalView[], timezone?: string): string {
  if (list.length === 0) return 'No plans. Describe a rule ("notify me when the front door opens") to get one.';
  return [
    `Plans (${list.length}):`,
    ...list.map((p) => `${STATUS_ICON[p.status]} [${p.id}] ${p.status} — ${p.edit ? `edit of ${p.edit.ruleId} v${p.edit.version}: ` : ''}${p.plan.title} (${p.plan.agents.length} agent${p.plan.agents.length === 1 ? '' : 's'}, ${formatTime(p.createdAt, timezone)})${p.ruleId ? ` → rule ${p.ruleId}` : ''}`),
    '',
    '/plans show <id> · /plans approve <id> · /plans reject <id>',
  ].join('\n');
}
