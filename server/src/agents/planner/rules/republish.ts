// After a rule's agents start, the current state of every entity its triggers watch is published
// again on the state bridge's topics, so the rule evaluates the present at once ("notify me when
// the lamp is on" while the lamp is on) instead of waiting for the next change. old_state is
// null: a filter that wants a transition (old "off" -> new "on") does not fire on the present.
import type { Bus } from '../../../bus/bus.ts';
import type { HassEntity } from '../../../ha/client.ts';
import type { SpawnConfig } from '../../spawn/config-schema.ts';
import { domainOf } from '../pipeline/home.ts';
import { entityOfStateTopic, isStateFilter, stateFilterCovers } from '../state-topics.ts';
import { ruleFacts } from '../validation/rule-graph.ts';

/** Entities whose state changes the rule's agents listen to (wildcards narrowed by the entities their code names). */
export function watchedEntities(configs: readonly SpawnConfig[], root?: string): string[] {
  const out = new Set<string>();
  for (const a of ruleFacts(configs, root)) {
    for (const filter of a.consumes) {
      if (!isStateFilter(filter)) continue;
      const concrete = entityOfStateTopic(filter);
      if (concrete) out.add(concrete);
      else for (const id of a.code?.entityIds ?? a.entityRefs.map((r) => r.entityId)) if (stateFilterCovers(filter, id)) out.add(id);
    }
  }
  return [...out];
}

export function republishStates(bus: Bus, entityIds: readonly string[], stateOf: (id: string) => HassEntity | undefined, now: number): string[] {
  const sent: string[] = [];
  for (const entityId of entityIds) {
    const state = stateOf(entityId);
    if (!state) continue;
    const domain = domainOf(entityId);
    bus.publish('haStateChange', { domain, entity_id: entityId.slice(domain.length + 1) }, { entity_id: entityId, domain, new_state: state, old_state: null, timestamp: now, bootstrap: true });
    sent.push(entityId);
  }
  return sent;
}
