// A compact text map of the home for LLM prompts: area -> entities (id, name, state, the few
// attributes that matter for acting), then the services of those domains. Built from the
// registries and the state cache; a fraction of HA's state dump, so a prompt stays small and
// cheap, and the model only sees ids that exist.
import type { HaClient } from '../../ha/client.ts';

/** What a one-off request can act on. */
export const CONTROL_DOMAINS: ReadonlySet<string> = new Set([
  'light', 'switch', 'fan', 'cover', 'lock', 'climate', 'media_player', 'scene', 'script', 'input_boolean', 'input_number',
  'input_select', 'button', 'vacuum', 'alarm_control_panel', 'humidifier', 'water_heater', 'valve', 'siren', 'automation',
]);
/** What questions about the home read. */
export const SENSE_DOMAINS: ReadonlySet<string> = new Set([...CONTROL_DOMAINS, 'sensor', 'binary_sensor', 'person', 'device_tracker', 'sun', 'weather', 'camera']);

const ATTRS = ['device_class', 'unit_of_measurement', 'brightness', 'current_position', 'temperature', 'current_temperature', 'hvac_modes', 'min_temp', 'max_temp'];
const MAX_ENTITIES = 500;

export interface CompactMapOptions {
  domains: ReadonlySet<string>;
  /** Add the service list of the domains shown (for prompts that produce service calls). */
  withServices?: boolean;
  /** Keep only these entities (the ones a request names: relevant-map.ts); `area` is the area's name. */
  include?: (entityId: string, name: string, area: string) => boolean;
}

export function compactMap(ha: Pick<HaClient, 'states' | 'registries' | 'services'>, { domains, withServices = false, include }: CompactMapOptions): string {
  const reg = ha.registries();
  const floorName = new Map(reg.floors.map((f) => [f.floor_id, f.name]));
  const areaLabel = new Map(reg.areas.map((a) => [a.area_id, a.floor_id && floorName.has(a.floor_id) ? `${a.name} (${floorName.get(a.floor_id)})` : a.name]));
  const deviceArea = new Map(reg.devices.map((d) => [d.id, d.area_id]));
  const entityArea = new Map(reg.entities.map((e) => [e.entity_id, e.area_id ?? (e.device_id ? deviceArea.get(e.device_id) : null) ?? null]));
  const hidden = new Set(reg.entities.filter((e) => e.disabled_by || e.hidden_by || e.entity_category).map((e) => e.entity_id));
  const byArea = new Map<string, string[]>();
  const shownDomains = new Set<string>();
  let n = 0;
  for (const s of [...ha.states()].sort((a, b) => a.entity_id.localeCompare(b.entity_id))) {
    const domain = s.entity_id.slice(0, s.entity_id.indexOf('.'));
    if (!domains.has(domain) || hidden.has(s.entity_id)) continue;
    const areaId = entityArea.get(s.entity_id);
    const area = (areaId && areaLabel.get(areaId)) || 'No area';
    const name = typeof s.attributes.friendly_name === 'string' ? s.attributes.friendly_name : s.entity_id;
    if (include && !include(s.entity_id, name, area)) continue;
    if (n++ >= MAX_ENTITIES) continue;
    shownDomains.add(domain);
    const extras = ATTRS.flatMap((k) => {
      const v: unknown = s.attributes[k];
      if (v === undefined || v === null) return [];
      const text = Array.isArray(v) ? v.map(String).join('/') : typeof v === 'string' ? v : JSON.stringify(v);
      return [`${k}=${text}`];
    });
    const line = `  ${s.entity_id} "${name}" ${s.state}${extras.length ? ` (${extras.join(', ')})` : ''}`;
    byArea.set(area, [...(byArea.get(area) ?? []), line]);
  }
  const areas = [...byArea.keys()].sort((a, b) => (a === 'No area' ? 1 : b === 'No area' ? -1 : a.localeCompare(b)));
  const parts = areas.map((a) => `${a}:\n${(byArea.get(a) ?? []).join('\n')}`);
  if (withServices) {
    const services = ha.services();
    const lines = [...shownDomains, 'notify'].sort().flatMap((d) => (services[d] ? [`  ${d}: ${Object.keys(services[d]).sort().join(', ')}`] : []));
    parts.push(`Services:\n${lines.join('\n')}`);
  }
  return parts.join('\n');
}

/** "Living Room Light" for light.living_room, or the id when HA has no name. */
export function friendlyName(ha: Pick<HaClient, 'getState'>, entityId: string): string {
  const name = ha.getState(entityId)?.attributes.friendly_name;
  return typeof name === 'string' && name ? name : entityId;
}
