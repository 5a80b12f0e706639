// /rules: the reactive rules the planner created, with each agent's live state; delete one; trace
// one ("why didn't it fire at 10:42?" without an LLM).
import { requestContextOf, usage, type SlashCommand } from './registry.ts';

/** Cents are what a person reads; a rule's calls are often fractions of one. */
function usd(v: number): string {
  return v === 0 ? '$0' : v < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`;
}

export const rulesCommand: SlashCommand = {
  name: 'rules',
  usage: ['/rules', '/rules delete <id>', '/rules trace <rule> [time]'],
  summary: 'list reactive rules, delete one with its agents, or show what its last evaluations did',
  // `trace` reads only, yet stays the owner's: a trace holds the raw messages that reached the rule
  // (whole HA states: a person's coordinates, a camera's entity_picture token) and whatever its
  // agents chose to agent.trace, the household's event history a restricted channel must not read.
  readOnly: (args) => args.length === 0,
  async run(ctx) {
    const rules = ctx.deps.rules;
    if (ctx.args.length === 0) {
      const list = await rules.list();
      if (list.length === 0) return 'No rules yet. Describe one ("when the front door opens, notify my phone") and approve the proposal.';
      const lines = list.map((r) => {
        const agents = r.agents.map((a) => `${a.name} ${a.state}`).join(', ') || 'no agents';
        const fired = r.last_fired_at ? `, last fired ${r.last_fired_at}` : '';
        return `  [${r.id}] ${r.name}: ${r.enabled ? r.status : 'disabled'}, fired ${r.fire_count}×${fired}\n      ${r.description}\n      agents: ${agents}\n      LLM cost: ${usd(r.cost_today_usd)} today, ${usd(r.cost_usd)} in all${r.error ? `\n      error: ${r.error}` : ''}`;
      });
      return [`Rules (${list.length}):`, ...lines].join('\n');
    }
    if (ctx.args[0].toLowerCase() === 'trace') {
      if (ctx.args.length < 2) usage('name the rule: /rules trace <rule> [time]');
      if (!rules.traceSummary) return 'Rule traces are not available here.';
      const time = ctx.args.slice(2).join(' ');
      const summary = await rules.traceSummary(ctx.args[1], time || undefined);
      return summary ?? `There is no rule ${ctx.args[1]} (an id, or a word of one rule's title). /rules lists them.`;
    }
    if (ctx.args[0].toLowerCase() !== 'delete' || ctx.args.length !== 2) usage();
    const id = ctx.args[1];
    const deleted = await rules.delete(id, requestContextOf(ctx));
    return deleted ? `Rule ${id} deleted, with its agents.` : `There is no rule ${id}. /rules lists them.`;
  },
};
