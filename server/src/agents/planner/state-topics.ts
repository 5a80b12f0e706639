// The HA state bridge's topics as agents name them (relative to the system root):
// `ha/state_changes/{domain}/{entity_id}` with the full entity id (ha/state_changes/light/light.kitchen),
// payload {entity_id, domain, new_state, old_state}.
// The planner wires rules to them, validates filters against them and re-publishes current
// states on them after approval.
import { topicMatches } from '../../bus/topic-bus/topic-filter.ts';
import { relativeToRoot } from '../../bus/topics.ts';

export const STATE_PREFIX = 'ha/state_changes';

export function stateTopic(entityId: string): string {
  return `${STATE_PREFIX}/${entityId.slice(0, entityId.indexOf('.'))}/${entityId}`;
}

export function isStateFilter(filter: string): boolean {
  return filter === STATE_PREFIX || filter.startsWith(`${STATE_PREFIX}/`) || filter === 'ha/#' || filter === '#' || filter === 'ha/+/#';
}

/** The entity a concrete state topic is about; undefined for wildcards and other topics. */
export function entityOfStateTopic(topic: string): string | undefined {
  const m = /^ha\/state_changes\/([a-z0-9_]+)\/(([a-z0-9_]+)\.[a-z0-9_]+)$/.exec(topic);
  return m && m[1] === m[3] ? m[2] : undefined;
}

export function stateFilterCovers(filter: string, entityId: string): boolean {
  return topicMatches(filter, stateTopic(entityId));
}

/** Agent topics are root-relative; an LLM sometimes writes the root too. */
export function relativeTo(root: string, topic: string): string {
  return relativeToRoot(root, topic);
}
