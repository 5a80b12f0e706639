// Every service a rule calls must exist for its domain (light.turn_on, notify.mobile_app_phone):
// HA refuses the rest, and a rule would fail only when it fires.
import type { HomeSnapshot } from '../pipeline/home.ts';
import { issue, type ValidationIssue } from './issues.ts';
import type { AgentFacts } from './rule-graph.ts';
import { closest } from './similar.ts';

export function checkServices(agents: readonly AgentFacts[], home: HomeSnapshot): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const a of agents) {
    for (const act of a.actions) {
      const name = `${act.domain}.${act.service}`;
      if (seen.has(`${a.name}\u0000${name}`) || home.hasService(act.domain, act.service)) continue;
      seen.add(`${a.name}\u0000${name}`);
      const offered = [...(home.services.get(act.domain) ?? [])].sort();
      const hint = offered.length
        ? ` (${act.domain} offers ${closest(name, offered.map((s) => `${act.domain}.${s}`)).join(', ') || offered.slice(0, 8).join(', ')})`
        : ` (Home Assistant has no ${act.domain} services at all)`;
      out.push(issue('unknown_service', `calls ${name}, which Home Assistant does not have${hint}`, a.name));
    }
    if (a.code?.notifies && !home.services.has('notify')) {
      out.push(issue('unknown_service', 'sends notifications, but Home Assistant has no notify service', a.name));
    }
  }
  return out;
}
