// Every entity a rule names must exist in Home Assistant: an invented id would make the rule
// silently never fire (a trigger) or fail at the worst moment (an action).
import type { HomeSnapshot } from '../pipeline/home.ts';
import { entityOfStateTopic } from '../state-topics.ts';
import { issue, type ValidationIssue } from './issues.ts';
import type { AgentFacts } from './rule-graph.ts';
import { closest } from './similar.ts';

export function checkEntities(agents: readonly AgentFacts[], home: HomeSnapshot): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  const report = (agent: string, entityId: string, where: string) => {
    const key = `${agent}\u0000${entityId}`;
    if (seen.has(key) || home.hasEntity(entityId)) return;
    seen.add(key);
    const near = closest(entityId, home.entities.keys());
    out.push(issue('unknown_entity', `${where} names ${entityId}, which does not exist in Home Assistant${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`, agent));
  };
  for (const a of agents) {
    for (const ref of a.entityRefs) report(a.name, ref.entityId, ref.where);
    for (const t of a.consumes) {
      const id = entityOfStateTopic(t);
      if (id) report(a.name, id, `the topic ${t}`);
    }
  }
  return out;
}
