// /rules: the reactive rules the planner created, with each agent's live state; delete one.
import { requestContextOf, usage, type SlashCommand } from './registry.ts';

export const rulesCommand: SlashCommand = {
  name: 'rules',
  usage: ['/rules', '/rules delete <id>'],
  summary: 'list reactive rules, or delete one with its agents',
  readOnly: (args) => args.length === 0,
  async run(ctx) {
    const rules = ctx.deps.rules;
    if (ctx.args.length === 0) {
      const list = await rules.list();
      if (list.length === 0) return 'No rules yet. Describe one ("when the front door opens, notify my phone") and approve the proposal.';
      const lines = list.map((r) => {
        const agents = r.agents.map((a) => `${a.name} ${a.state}`).join(', ') || 'no agents';
        const fired = r.last_fired_at ? `, last fired ${r.last_fired_at}` : '';
        return `  [${r.id}] ${r.name}: ${r.enabled ? r.status : 'disabled'}, fired ${r.fire_count}×${fired}\n      ${r.description}\n      agents: ${agents}${r.error ? `\n      error: ${r.error}` : ''}`;
      });
      return [`Rules (${list.length}):`, ...lines].join('\n');
    }
    if (ctx.args[0].toLowerCase() !== 'delete' || ctx.args.length !== 2) usage();
    const id = ctx.args[1];
    const deleted = await rules.delete(id, requestContextOf(ctx));
    return deleted ? `Rule ${id} deleted, with its agents.` : `There is no rule ${id}. /rules lists them.`;
  },
};
