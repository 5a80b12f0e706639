// Whether the user confirmed a spawned rule's sensitive actions. The confirmation is given once,
// when the rule is approved (origin `by: 'user'`, or the planner's origin with `confirmed`), and
// kept in the agent's own key/value state with a fingerprint of the sensitive actions: a restore
// at start finds it again, while a replaced config with different sensitive actions (or one
// spawned by the LLM under the same name) does not inherit it.
import type { KeyValueStore } from '../../store/kv.ts';
import type { SpawnOrigin } from '../spawner/agent-spawner.ts';

const KEY = 'sensitive_confirmation';

export function isConfirmingOrigin(origin: SpawnOrigin): boolean {
  return origin.by === 'user' || (origin.by === 'planner' && origin.confirmed === true);
}

/** Records or looks up the confirmation; true when the agent may perform its sensitive actions. */
export function resolveConfirmation(store: KeyValueStore, agentName: string, fingerprint: string, origin: SpawnOrigin): boolean {
  if (fingerprint === '') {
    store.delete(agentName, KEY);
    return true;
  }
  if (isConfirmingOrigin(origin)) {
    store.set(agentName, KEY, fingerprint);
    return true;
  }
  if (origin.by === 'restore') return store.get(agentName, KEY) === fingerprint;
  // Refused, but the user's confirmation stays: a refused replacement rolls back to the confirmed
  // version (restored with origin `restore`), which must still find it.
  return false;
}
