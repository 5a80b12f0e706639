// A state-bridge payload (ha/state_changes/{domain}/{entity_id}) as the bridge publishes it, for
// tests that publish one themselves (a forgery, or a mirror check).
export function stateChangePayload(entity: string, state: string, at = '2026-01-01T00:00:00Z', contextId = 'c') {
  return {
    entity_id: entity,
    domain: entity.split('.')[0],
    new_state: { entity_id: entity, state, attributes: {}, last_changed: at, last_updated: at, context: { id: contextId, parent_id: null, user_id: null } },
    old_state: null,
    context: null,
    timestamp: at,
  };
}
