// /cost and /budget: LLM spending from the one ledger every call path writes (so the numbers
// include the classifier, fact extraction, summaries, agents and the planner), and the caps the
// LLM service enforces; `/budget daily 5` changes a cap at runtime (persisted). Token counts
// say how much input the providers' prompt caches served and took, when they did.
import type { BudgetCaps, BudgetPeriod, LedgerPeriod, LedgerTotals, PeriodStatus } from '../../../llm/index.ts';
import { usage, type SlashCommand } from './registry.ts';

const PERIODS: Record<string, LedgerPeriod> = {
  day: 'day', today: 'day', daily: 'day',
  week: 'week', weekly: 'week',
  month: 'month', monthly: 'month',
  all: 'all', total: 'all',
};
const PERIOD_NAME: Record<LedgerPeriod, string> = { day: 'today', week: 'this week', month: 'this month', all: 'in all' };
const CAP_PERIODS: Record<string, BudgetPeriod> = { day: 'day', daily: 'day', week: 'week', weekly: 'week', month: 'month', monthly: 'month' };
const CAP_WORD: Record<BudgetPeriod, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

const usd = (n: number) => `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;

/**
 * "(12,000 in, 9,800 of them read from the prompt cache, 2,100 written to it / 400 out tokens)";
 * without a cache the original plain "(1010 in / 105 out tokens)".
 */
function tokens(t: LedgerTotals): string {
  const read = t.cachedInputTokens, written = t.cacheWriteTokens;
  if (!read && !written) return `${t.inputTokens} in / ${t.outputTokens} out tokens`;
  const n = (x: number) => x.toLocaleString('en-US');
  const cache = [
    read ? `${n(read)} of them read from the prompt cache` : '',
    written ? (read ? `${n(written)} written to it` : `${n(written)} of them written to the prompt cache`) : '',
  ].filter(Boolean);
  return `${n(t.inputTokens)} in, ${cache.join(', ')} / ${n(t.outputTokens)} out tokens`;
}

function totals(t: LedgerTotals): string {
  const unpriced = t.unpricedCalls ? `, ${t.unpricedCalls} unpriced` : '';
  return `${usd(t.costUsd)} over ${t.calls} call${t.calls === 1 ? '' : 's'} (${tokens(t)}${unpriced})`;
}

export const costCommand: SlashCommand = {
  name: 'cost',
  usage: ['/cost [day|week|month|all]'],
  summary: 'LLM spending per agent and per rule for a period (default: today)',
  async run(ctx) {
    if (ctx.args.length > 1) usage();
    const period = ctx.args.length ? PERIODS[ctx.args[0].toLowerCase()] : 'day';
    if (!period) usage(`Unknown period ${ctx.args[0]}.`);
    const report = ctx.deps.llm.ledger.report({ period, groupBy: 'agent' });
    if (report.totals.calls === 0) return `No LLM calls ${PERIOD_NAME[period]}.`;
    const lines = [`LLM cost ${PERIOD_NAME[period]}: ${totals(report.totals)}`];
    for (const g of report.groups) lines.push(`  ${g.key ?? '?'}: ${totals(g)}`);
    // The same calls again, by the rule they served (a rule's agents carry its id; /rules names it).
    const rules = ctx.deps.llm.ledger.report({ period, groupBy: 'rule' }).groups.filter((g) => g.key !== null);
    if (rules.length) lines.push('By rule:', ...rules.map((g) => `  rule ${g.key}: ${totals(g)}`));
    if (report.unpricedModels.length) lines.push(`Models without a price (counted apart, not as free): ${report.unpricedModels.join(', ')}`);
    return lines.join('\n');
  },
};

function periodLine(p: PeriodStatus): string {
  const cap = p.capUsd === null ? 'no cap' : `cap ${usd(p.capUsd)}`;
  const state = p.state === 'exceeded' ? ' · SPENT' : p.state === 'warning' ? ' · nearly spent' : '';
  return `  ${CAP_WORD[p.period].padEnd(7)}  ${usd(p.spentUsd)} spent, ${cap}${state}`;
}

export const budgetCommand: SlashCommand = {
  name: 'budget',
  usage: ['/budget', '/budget daily|weekly|monthly <usd|off>', '/budget reset'],
  summary: 'show spending caps, or set one',
  async run(ctx) {
    const { budget } = ctx.deps.llm;
    const show = () => {
      const status = budget.status();
      const fallback = ctx.deps.fallbackModel ? `When a cap is spent, ${ctx.deps.fallbackModel} answers instead.` : 'When a cap is spent, LLM calls are refused until it resets.';
      return ['LLM budget:', ...status.periods.map(periodLine), fallback].join('\n');
    };
    if (ctx.args.length === 0) return show();
    if (ctx.args.length === 1 && ctx.args[0].toLowerCase() === 'reset') {
      budget.resetCaps();
      return `Caps are back to the configured ones.\n${show()}`;
    }
    if (ctx.args.length !== 2) usage();
    const period = CAP_PERIODS[ctx.args[0].toLowerCase()];
    if (!period) usage(`Unknown period ${ctx.args[0]}.`);
    const raw = ctx.args[1].toLowerCase().replace(/^\$/, '');
    const cap = raw === 'off' || raw === 'none' ? null : Number(raw);
    if (cap !== null && (!Number.isFinite(cap) || cap < 0 || raw === '')) usage(`${ctx.args[1]} is not an amount of US dollars.`);
    const changes: Partial<BudgetCaps> = { [period]: cap };
    budget.setCaps(changes);
    return `${CAP_WORD[period][0].toUpperCase()}${CAP_WORD[period].slice(1)} cap ${cap === null ? 'removed' : `set to ${usd(cap)}`}.\n${show()}`;
  },
};
