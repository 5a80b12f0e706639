// /rules: the reactive rules the planner created, with each agent's live state; delete one; trace
// one ("why didn't it fire at 10:42?" without an LLM); list its versions; roll it back to one.
import type { RuleVersion } from '../../../contract/rule-versions.ts';
import { ServiceError } from '../../../contract/service-error.ts';
import { requestContextOf, usage, type SlashCommand } from './registry.ts';

function versionLine(v: RuleVersion): string {
  const when = v.approved_at.slice(0, 16).replace('T', ' ');
  const what = v.source === 'created' ? `created: "${v.request}"` : v.source === 'rollback' ? v.request : `"${v.request}"`;
  return `  ${v.current ? '▶' : ' '} v${v.version}  ${when} UTC  by ${v.approved_by ?? 'unknown'}  ${what}${v.source === 'created' ? '' : `\n        ${v.summary}`}`;
}

/** Cents are what a person reads; a rule's calls are often fractions of one. */
function usd(v: number): string {
  return v === 0 ? '$0' : v < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`;
}

export const rulesCommand: SlashCommand = {
  name: 'rules',
  usage: ['/rules', '/rules delete <id>', '/rules trace <rule> [time]', '/rules history <rule>', '/rules rollback <rule> <version>'],
  summary: 'list reactive rules, delete one with its agents, show what its last evaluations did, list its versions or roll it back',
  // `trace` reads only, yet stays the owner's: a trace holds the raw messages that reached the rule
  // (whole HA states: a person's coordinates, a camera's entity_picture token) and whatever its
  // agents chose to agent.trace, the household's event history a restricted channel must not read.
  // `history` lists what was approved when and by whom (the versions' requests are what /rules
  // shows already); `rollback` swaps running agents: the owner's.
  readOnly: (args) => args.length === 0 || args[0].toLowerCase() === 'history',
  async run(ctx) {
    const rules = ctx.deps.rules;
    if (ctx.args.length === 0) {
      const list = await rules.list();
      if (list.length === 0) return 'No rules yet. Describe one ("when the front door opens, notify my phone") and approve the proposal.';
      // A rule approved before the owner narrowed the state bridge's options runs but never fires.
      const warnings = (await rules.warnings?.()) ?? {};
      const lines = list.map((r) => {
        const agents = r.agents.map((a) => `${a.name} ${a.state}`).join(', ') || 'no agents';
        const fired = r.last_fired_at ? `, last fired ${r.last_fired_at}` : '';
        const warned = (warnings[r.id] ?? []).map((w) => `\n      ⚠️ ${w}`).join('');
        return `  [${r.id}] ${r.name}: ${r.enabled ? r.status : 'disabled'}, fired ${r.fire_count}×${fired}\n      ${r.description}\n      agents: ${agents}\n      LLM cost: ${usd(r.cost_today_usd)} today, ${usd(r.cost_usd)} in all${r.error ? `\n      error: ${r.error}` : ''}${warned}`;
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
    if (ctx.args[0].toLowerCase() === 'history') {
      if (ctx.args.length !== 2) usage('name the rule: /rules history <rule>');
      if (!rules.versions) return 'Rule versions are not available here.';
      const versions = await rules.versions(ctx.args[1]);
      if (!versions) return `There is no rule ${ctx.args[1]} (an id, or a word of one rule's title). /rules lists them.`;
      const title = versions[0]?.title ?? ctx.args[1];
      return [`Versions of ${title} (${versions.length}, newest first; ▶ runs now):`, ...versions.map(versionLine), '', 'Roll back with /rules rollback <rule> <version>.'].join('\n');
    }
    if (ctx.args[0].toLowerCase() === 'rollback') {
      const version = Number((ctx.args[2] ?? '').replace(/^v/i, ''));
      if (ctx.args.length !== 3 || !Number.isInteger(version) || version < 1) usage('name the rule and the version: /rules rollback <rule> <version>');
      if (!rules.rollback) return 'Rule versions are not available here.';
      try {
        const r = await rules.rollback(ctx.args[1], version, requestContextOf(ctx));
        return `↩️ Rule ${r.rule.id} runs version ${version}'s agents again, recorded as version ${r.version.version} ("${r.version.request}").\nChanges: ${r.version.summary}`;
      } catch (err) {
        if (err instanceof ServiceError) return err.message;
        throw err;
      }
    }
    if (ctx.args[0].toLowerCase() !== 'delete' || ctx.args.length !== 2) usage();
    const id = ctx.args[1];
    const deleted = await rules.delete(id, requestContextOf(ctx));
    return deleted ? `Rule ${id} deleted, with its agents.` : `There is no rule ${id}. /rules lists them.`;
  },
};
