// Which Home Assistant service calls are sensitive: locks, alarm panels and garage (or gate)
// covers, whether named directly or reached through a generic service (homeassistant.turn_off on a
// lock) or a target that is not a list of entities (no entity_id, "all", an area, a device...).
// Agent code may make such a call only when the user granted the agent the matching scope:
//   ha:sensitive                 every sensitive call
//   ha:sensitive:<domain>        e.g. ha:sensitive:lock
//   ha:sensitive:<entity_id>     e.g. ha:sensitive:cover.garage_door
// Grants come from the owner only (a user spawn, /agents grant or the API, confirmed; see
// agents/spawner/grants.ts); LLM output cannot carry them. The one policy for the whole system: agents/ha/sensitive.ts applies it to declared
// actions, the sandbox's ha.callService to agent code.
import type { HassEntity } from 'home-assistant-js-websocket';

const SENSITIVE_DOMAINS: ReadonlySet<string> = new Set(['lock', 'alarm_control_panel']);
const SENSITIVE_COVER_CLASSES: ReadonlySet<string> = new Set(['garage', 'door', 'gate']);
/** Services that act on entities of any domain. */
const GENERIC_DOMAINS: ReadonlySet<string> = new Set(['homeassistant']);
const INDIRECT_TARGETS = ['area_id', 'device_id', 'floor_id', 'label_id'];

export const SENSITIVE_GRANT = 'ha:sensitive';

export interface SensitiveCall {
  domain: string;
  service: string;
  data?: Record<string, unknown> | undefined;
}

/** The sensitive entities (or domains) a call would touch; empty when it is not sensitive. */
export function sensitiveTargets(call: SensitiveCall, states: () => readonly HassEntity[], stateOf: (id: string) => HassEntity | undefined): string[] {
  const ids = entityIds(call.data?.entity_id);
  const indirect = ids === undefined || ids.includes('all') || INDIRECT_TARGETS.some((k) => call.data?.[k] !== undefined);
  const hits = new Set<string>();
  if (SENSITIVE_DOMAINS.has(call.domain) && (indirect || ids === undefined)) hits.add(call.domain);
  for (const id of ids ?? []) if (id !== 'all' && isSensitiveEntity(id, stateOf(id))) hits.add(id);
  if (indirect && (call.domain === 'cover' || GENERIC_DOMAINS.has(call.domain))) {
    // A call that reaches entities we cannot list: sensitive if any sensitive entity it could reach exists.
    for (const s of states()) {
      const domain = s.entity_id.split('.')[0] ?? '';
      if ((domain === call.domain || GENERIC_DOMAINS.has(call.domain)) && isSensitiveEntity(s.entity_id, s)) hits.add(s.entity_id);
    }
  }
  return [...hits];
}

export function isSensitiveEntity(entityId: string, state: HassEntity | undefined): boolean {
  const domain = (entityId.split('.')[0] ?? '').toLowerCase();
  if (SENSITIVE_DOMAINS.has(domain)) return true;
  if (domain !== 'cover') return false;
  const cls = state?.attributes.device_class;
  // An unknown cover (not in the cache) might be a garage door: refuse rather than guess.
  return state === undefined || (typeof cls === 'string' && SENSITIVE_COVER_CLASSES.has(cls));
}

/** The targets not covered by the agent's grants. */
export function ungranted(targets: readonly string[], grants: readonly string[]): string[] {
  if (grants.includes(SENSITIVE_GRANT)) return [];
  return targets.filter((t) => {
    const domain = t.split('.')[0] ?? t;
    return !grants.includes(`${SENSITIVE_GRANT}:${t}`) && !grants.includes(`${SENSITIVE_GRANT}:${domain}`);
  });
}

export function isGrant(value: string): boolean {
  return value === SENSITIVE_GRANT || /^ha:sensitive:[a-z_][a-z0-9_]*(\.[a-z0-9_]+)?$/.test(value);
}

/** Lowercased, as HA's own schemas do before acting: "LOCK.Front_Door" is lock.front_door to HA. */
function entityIds(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((s) => s.trim().toLowerCase());
  return undefined;
}
