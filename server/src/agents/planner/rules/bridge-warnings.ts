// Approved rules against the state bridge's options as they are now. The planner refuses a new rule
// that listens where the bridge does not publish (validation/topics.ts, bridgeGap), but a rule
// approved before the owner narrowed ha_bridge_domains (or turned ha_bridge_per_entity_topics off)
// keeps running and silently never fires: /rules says so, with the option to change.
import type { StateBridgeScope } from '../../ha/state-bridge.ts';
import { ruleFacts } from '../validation/rule-graph.ts';
import type { Rule } from './rule.ts';

/** The state-change domain a filter listens on (`ha/state_changes/<domain>/...`), or undefined. */
function domainOf(filter: string): string | undefined {
  const [first, second, domain] = filter.split('/');
  return first === 'ha' && second === 'state_changes' && domain !== undefined ? domain : undefined;
}

/** Why the rule will not fire with this bridge scope, one line per cause; empty: it may. */
export function bridgeWarnings(rule: Pick<Rule, 'agents'>, scope: StateBridgeScope | undefined, root?: string): string[] {
  if (!scope) return [];
  const domains = new Set(ruleFacts(rule.agents.map((a) => a.config), root).flatMap((f) => f.consumes.map(domainOf).filter((d) => d !== undefined)));
  if (domains.size === 0) return [];
  if (scope.perEntity === false) return ['will not fire: the state bridge no longer publishes per-entity topics; turn ha_bridge_per_entity_topics on'];
  const bridged = scope.domains ?? [];
  if (bridged.length === 0) return [];
  // A wildcard domain (+, #) still hears the bridged ones.
  return [...domains].filter((d) => d !== '+' && d !== '#' && !bridged.includes(d)).map((d) => `will not fire: ${d} is not bridged; add it to ha_bridge_domains`);
}
