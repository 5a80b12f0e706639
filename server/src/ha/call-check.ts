// Does Home Assistant know what a service call names? One check for every caller: HaClient's
// callService refuses a call naming an unknown service or entity before sending it (HA itself
// would silently ignore an unknown entity), and the HA agents check whole requests and rule
// configs with it before anything runs. Nothing is judged until HA's catalogue and states have
// loaded: an empty home is "not known yet", not "no such entity".
import type { HaClient, ServiceCall } from './client.ts';

type Known = Pick<HaClient, 'services' | 'hasService' | 'states' | 'getState'>;

export interface UnknownReferences {
  /** The service, when HA does not offer it, with what its domain does offer. */
  service?: { domain: string; service: string; offered: string[] };
  /** Entity ids HA does not have. */
  entities: string[];
}

export function unknownReferencesOf(ha: Known, call: ServiceCall): UnknownReferences {
  const out: UnknownReferences = { entities: [] };
  if (Object.keys(ha.services()).length > 0 && !ha.hasService(call.domain, call.service)) {
    out.service = { domain: call.domain, service: call.service, offered: Object.keys(ha.services()[call.domain] ?? {}).sort() };
  }
  if (ha.states().length > 0) out.entities = referencedEntities(call).filter((id) => !ha.getState(id));
  return out;
}

/** entity_id from target and from service data ("all"/"none" are HA keywords, not entities). */
export function referencedEntities(call: ServiceCall): string[] {
  const out: string[] = [];
  for (const value of [call.target?.entity_id, call.data?.entity_id]) {
    const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
    for (const item of items) {
      if (typeof item !== 'string') continue;
      const id = item.trim();
      if (id && id !== 'all' && id !== 'none') out.push(id);
    }
  }
  return out;
}
