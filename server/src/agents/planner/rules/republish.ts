// After a rule's agents start, the current state of every entity its triggers watch is published
// again on the state bridge's topics, so the rule evaluates the present at once ("notify me when
// the lamp is on" while the lamp is on) instead of waiting for the next change. The bridge does
// it (one publisher, one topic format); old_state is null, so a filter that wants a transition
// (old "off" -> new "on") does not fire on the present.
import type { Bus } from '../../../bus/bus.ts';
import type { ActorSystem } from '../../../core/system.ts';
import type { HassEntity } from '../../../ha/client.ts';
import { STATE_BRIDGE_NAME } from '../../ha/state-bridge.ts';
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import { errorText } from '../deadline.ts';
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

export interface RepublishDeps {
  system?: Pick<ActorSystem, 'get' | 'ask'> | undefined;
  bus?: Bus | undefined;
  stateOf: (entityId: string) => HassEntity | undefined;
}

/** Asks the state bridge to re-publish; without one running, publishes the same payload itself. */
export async function republishStates(deps: RepublishDeps, entityIds: readonly string[]): Promise<string | undefined> {
  if (entityIds.length === 0) return undefined;
  const bridge = deps.system?.get(STATE_BRIDGE_NAME);
  if (deps.system && bridge?.state === 'running') {
    try {
      await deps.system.ask(STATE_BRIDGE_NAME, { action: 'republish', entity_ids: [...entityIds] }, { timeoutMs: 10_000 });
      return undefined;
    } catch (err) {
      return `the current states could not be re-published: ${errorText(err)}`;
    }
  }
  if (!deps.bus) return 'no bus to re-publish the current states on';
  for (const entityId of entityIds) {
    const state = deps.stateOf(entityId);
    if (!state) continue;
    const domain = domainOf(entityId);
    deps.bus.publish('haStateChange', { domain, entity_id: entityId }, { entity_id: entityId, domain, new_state: state, old_state: null, context: state.context, timestamp: state.last_updated });
  }
  return undefined;
}
