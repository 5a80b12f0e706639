// A rule must not trigger itself: when its action changes an entity its own trigger watches, in
// a way the trigger matches again, it fires again (and toggles or flips forever). Decided by
// simulating the state change the action causes against the trigger's filter, for every state
// the trigger could have fired in. Triggers written as code cannot be simulated: those are
// warnings, unless the plan declares the trigger.
import type { HomeSnapshot } from '../pipeline/home.ts';
import type { TriggerSpec } from '../pipeline/pipeline-plan.ts';
import type { DetectionFilter } from '../../spawn-config/detection-filter.ts';
import { matchesFilter } from '../../ha/filter.ts';
import { domainOf } from '../pipeline/home.ts';
import { entityOfStateTopic, isStateFilter, stateFilterCovers } from '../state-topics.ts';
import { issue, type ValidationIssue } from './issues.ts';
import type { ActionFact, AgentFacts } from './rule-graph.ts';
import { DOMAIN_STATES, stateAfter } from './state-effects.ts';

interface Watch {
  agent: string;
  entityId: string;
  /** undefined: the filter is in code and unknown. null: every change fires. */
  filter: DetectionFilter | null | undefined;
}

export function checkSelfTrigger(agents: readonly AgentFacts[], home: HomeSnapshot, declared?: TriggerSpec): { errors: ValidationIssue[]; warnings: ValidationIssue[] } {
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const watches = watchesOf(agents, home, declared);
  const seen = new Set<string>();
  for (const act of agents.flatMap((a) => a.actions)) {
    for (const entityId of act.entityIds) {
      for (const w of watches.filter((x) => x.entityId === entityId)) {
        const key = `${act.agent}\u0000${act.domain}.${act.service}\u0000${entityId}\u0000${w.agent}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const verdict = refires(act, entityId, w, home);
        if (verdict === 'no') continue;
        const what = `${act.domain}.${act.service} on ${entityId}`;
        if (verdict === 'yes') {
          errors.push(issue('self_trigger', `${what} changes ${entityId} in a way its own trigger (${w.agent}) fires on again: the rule would trigger itself in a loop. Watch another entity, or filter the trigger to the state the action does not produce.`, act.agent));
        } else {
          warnings.push(issue('self_trigger', `${what} changes ${entityId}, which ${w.agent} watches; make sure that change does not trigger the rule again`, act.agent));
        }
      }
    }
  }
  return { errors, warnings };
}

function watchesOf(agents: readonly AgentFacts[], home: HomeSnapshot, declared: TriggerSpec | undefined): Watch[] {
  const out: Watch[] = [];
  for (const a of agents) {
    for (const filter of a.consumes) {
      if (!isStateFilter(filter)) continue;
      const concrete = entityOfStateTopic(filter);
      // A wildcard subscription in code filters by entity id: the entities its code names.
      const covered = concrete ? [concrete] : a.code ? a.code.entityIds.filter((id) => stateFilterCovers(filter, id)) : [...home.entities.keys()].filter((id) => stateFilterCovers(filter, id));
      for (const entityId of covered) {
        if (a.type === 'ha_actuator') out.push({ agent: a.name, entityId, filter: a.filter ?? null });
        else out.push({ agent: a.name, entityId, filter: declared?.entity_id === entityId ? (declared.filter ?? null) : undefined });
      }
    }
  }
  return out;
}

function refires(act: ActionFact, entityId: string, w: Watch, home: HomeSnapshot): 'yes' | 'no' | 'maybe' {
  const domain = domainOf(entityId);
  const current = home.entities.get(entityId)?.state;
  const candidates = [...new Set([...(DOMAIN_STATES[domain] ?? []), ...(current ? [current] : [])])];
  const data = act.action?.service_data ?? {};
  const matches = (from: string, to: string) => w.filter === null || w.filter === undefined || matchesFilter(w.filter, payload(entityId, from, to));
  for (const fired of candidates) {
    const after = stateAfter(act.domain, act.service, fired, data);
    if (after === undefined || after === fired) continue;
    // The rule ran because the entity changed into `fired` (from anything); does its own change re-fire it?
    const ranIn = candidates.some((before) => before !== fired && matches(before, fired));
    if (!ranIn || !matches(fired, after)) continue;
    return w.filter === undefined ? 'maybe' : 'yes';
  }
  return 'no';
}

function payload(entityId: string, from: string | undefined, to: string): Record<string, unknown> {
  return {
    entity_id: entityId,
    domain: domainOf(entityId),
    old_state: from === undefined ? null : { entity_id: entityId, state: from, attributes: {} },
    new_state: { entity_id: entityId, state: to, attributes: {} },
  };
}
