// Sensitive Home Assistant actions: the ones that let people into the house or disarm it (locks,
// alarm panels, garage/door/gate covers, also when reached by area, device or a generic
// homeassistant.* service). One policy for the whole system: the rule is ha/sensitive-calls.ts's,
// applied here to declared actions. They never run on an LLM's word alone (DESIGN.md, security
// model): a rule needs the user's confirmation when it is approved, a one-off request a "yes" from
// the user in the same conversation.
import type { HaClient } from '../../ha/client.ts';
import { sensitiveTargets } from '../../ha/sensitive-calls.ts';
import type { HaAction } from '../../ha/action.ts';
import { entitiesOf } from './service-calls.ts';

type Home = Pick<HaClient, 'states' | 'getState'>;

/** Domains whose actions may be sensitive depending on the entity; used for stable fingerprints. */
const MAYBE_SENSITIVE = new Set(['lock', 'alarm_control_panel', 'cover', 'homeassistant']);

const domainOf = (entityId: string) => (entityId.split('.', 1)[0] ?? '').trim().toLowerCase();

/** What makes an action sensitive (empty when it is not): the sensitive entities or domains it reaches. */
export function sensitiveReasons(action: HaAction, ha: Home): string[] {
  const data: Record<string, unknown> = { ...action.service_data };
  const t = action.target;
  const entities = entitiesOf(action);
  if (entities.length > 0) data.entity_id = entities;
  if (t?.area_id?.length) data.area_id = t.area_id;
  if (t?.device_id?.length) data.device_id = t.device_id;
  return sensitiveTargets({ domain: action.domain, service: action.service, data }, () => ha.states(), (id) => ha.getState(id));
}

export function sensitiveActions(actions: readonly HaAction[], ha: Home): string[] {
  return [...new Set(actions.flatMap((a) => sensitiveReasons(a, ha)))];
}

/**
 * The part of a rule a confirmation covers: every action that may be sensitive, whatever the
 * entity's current class, so the fingerprint does not change when HA is briefly unknown at restore.
 */
export function sensitiveFingerprint(actions: readonly HaAction[]): string {
  const relevant = actions.filter((a) => MAYBE_SENSITIVE.has(a.domain) || entitiesOf(a).some((e) => MAYBE_SENSITIVE.has(domainOf(e))));
  return relevant.length === 0 ? '' : JSON.stringify(relevant.map((a) => [a.domain, a.service, a.target ?? {}, a.service_data]));
}
