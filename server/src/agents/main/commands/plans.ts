// /plans: proposals waiting for approval (and past ones); show, approve or reject one by id.
import type { Plan } from '../../../contract/plans.ts';
import { requestContextOf, usage, type SlashCommand } from './registry.ts';

function line(p: Plan): string {
  return `  [${p.id}] ${p.title}: ${p.status}${p.rule_id ? ` (rule ${p.rule_id})` : ''}`;
}

function detail(p: Plan): string {
  const agents = p.agents.map((a) => `  - ${a.name} (${a.type}): ${a.description}${a.trigger ? ` [${a.trigger}]` : ''}`);
  const v = p.validation;
  const checks = [v.ok ? '  validation passed' : '  validation FAILED', ...v.errors.map((e) => `  ✗ ${e}`), ...v.warnings.map((w) => `  ! ${w}`)];
  return [`Plan ${p.id}: ${p.title} (${p.status})`, p.summary, 'Agents:', ...agents, ...checks, ...(p.reason ? [`Reason: ${p.reason}`] : [])].join('\n');
}

export const plansCommand: SlashCommand = {
  name: 'plans',
  usage: ['/plans', '/plans show <id>', '/plans approve <id>', '/plans reject <id> [reason]'],
  summary: 'list plan proposals; show, approve or reject one',
  readOnly: (args) => args.length === 0 || (args.length === 2 && args[0].toLowerCase() === 'show'),
  async run(ctx) {
    const plans = ctx.deps.plans;
    if (ctx.args.length === 0) {
      const list = await plans.list();
      if (list.length === 0) return 'No plans. Proposals appear here when you ask for a rule or a multi-step task.';
      const pending = list.filter((p) => p.status === 'pending');
      return [`Plans (${list.length}, ${pending.length} pending):`, ...list.map(line), pending.length ? 'Approve with /plans approve <id>.' : ''].filter(Boolean).join('\n');
    }
    const [verb, id, ...reason] = ctx.args;
    const v = verb.toLowerCase();
    if (id === undefined || !['show', 'approve', 'reject'].includes(v) || (v !== 'reject' && reason.length > 0)) usage();
    if (v === 'show') {
      const plan = (await plans.list()).find((p) => p.id === id);
      return plan ? detail(plan) : `There is no plan ${id}. /plans lists them.`;
    }
    if (v === 'approve') {
      const plan = await plans.approve(id, requestContextOf(ctx));
      if (!plan) return `There is no plan ${id} to approve. /plans lists them.`;
      return plan.status === 'approved' ? `Plan ${id} approved${plan.rule_id ? `: rule ${plan.rule_id} is running` : ''}.` : `Plan ${id} is ${plan.status}${plan.reason ? `: ${plan.reason}` : ''}.`;
    }
    const plan = await plans.reject(id, reason.length ? reason.join(' ') : undefined, requestContextOf(ctx));
    return plan ? `Plan ${id} rejected.` : `There is no plan ${id} to reject. /plans lists them.`;
  },
};
