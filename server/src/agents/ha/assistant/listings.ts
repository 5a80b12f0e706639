// Listings of the home for the chat and for the planner: structured data plus a readable text,
// from the client's registries and state cache (no requests to HA).
import type { HaClient } from '../../../ha/client.ts';
import { friendlyName } from '../compact-map.ts';
import type { AutomationRef } from '../pending.ts';

export interface Listing<T> {
  data: T[];
  text: string;
}

export interface AreaItem { area_id: string; name: string; floor: string | null; entities: number }
export interface DeviceItem { id: string; name: string; area: string | null; manufacturer: string | null; model: string | null }
export interface EntityItem { entity_id: string; name: string; domain: string; state: string; area: string | null; device_class: string | null }
export interface AutomationItem extends AutomationRef { state: string; last_triggered: string | null }

type Source = Pick<HaClient, 'registries' | 'states' | 'getState'>;

function areaIndex(ha: Source) {
  const reg = ha.registries();
  const areaName = new Map(reg.areas.map((a) => [a.area_id, a.name]));
  const deviceArea = new Map(reg.devices.map((d) => [d.id, d.area_id]));
  const entityArea = new Map(reg.entities.map((e) => [e.entity_id, e.area_id ?? (e.device_id ? deviceArea.get(e.device_id) : null) ?? null]));
  return { reg, areaName, entityArea };
}

export function listAreas(ha: Source): Listing<AreaItem> {
  const { reg, entityArea } = areaIndex(ha);
  const floors = new Map(reg.floors.map((f) => [f.floor_id, f.name]));
  const counts = new Map<string, number>();
  for (const area of entityArea.values()) if (area) counts.set(area, (counts.get(area) ?? 0) + 1);
  const data = reg.areas.map((a) => ({ area_id: a.area_id, name: a.name, floor: a.floor_id ? (floors.get(a.floor_id) ?? null) : null, entities: counts.get(a.area_id) ?? 0 }));
  const text = data.length === 0 ? 'Home Assistant has no areas.' : `Areas (${data.length}):\n${data.map((a) => `- ${a.name}${a.floor ? ` (${a.floor})` : ''}: ${a.entities} entities`).join('\n')}`;
  return { data, text };
}

export function listDevices(ha: Source): Listing<DeviceItem> {
  const { reg, areaName } = areaIndex(ha);
  const data = reg.devices
    .filter((d) => !d.disabled_by && d.entry_type !== 'service')
    .map((d) => ({ id: d.id, name: d.name_by_user ?? d.name ?? d.id, area: d.area_id ? (areaName.get(d.area_id) ?? null) : null, manufacturer: d.manufacturer, model: d.model }));
  const text = data.length === 0 ? 'Home Assistant has no devices.' : `Devices (${data.length}):\n${data.map((d) => `- ${d.name}${d.area ? ` in ${d.area}` : ''}${d.model ? ` (${[d.manufacturer, d.model].filter(Boolean).join(' ')})` : ''}`).join('\n')}`;
  return { data, text };
}

export function listEntities(ha: Source, filter: { domain?: string; area?: string } = {}): Listing<EntityItem> {
  const { areaName, entityArea } = areaIndex(ha);
  const areaWanted = filter.area?.toLowerCase();
  const data = ha
    .states()
    .map((s) => {
      const area = entityArea.get(s.entity_id);
      const dc = s.attributes.device_class;
      return { entity_id: s.entity_id, name: friendlyName(ha, s.entity_id), domain: s.entity_id.split('.', 1)[0] ?? '', state: s.state, area: area ? (areaName.get(area) ?? null) : null, device_class: typeof dc === 'string' ? dc : null, areaId: area };
    })
    .filter((e) => (!filter.domain || e.domain === filter.domain) && (!areaWanted || e.areaId === areaWanted || e.area?.toLowerCase() === areaWanted))
    .sort((a, b) => a.entity_id.localeCompare(b.entity_id))
    .map(({ areaId: _areaId, ...e }) => e);
  const text = data.length === 0 ? 'No matching entities.' : `Entities (${data.length}):\n${data.map((e) => `- ${e.entity_id} "${e.name}": ${e.state}${e.area ? ` (${e.area})` : ''}`).join('\n')}`;
  return { data, text };
}

/** Automations as HA's UI finds them: the automation.* states, whose `id` attribute names the config. */
export function listAutomations(ha: Source): Listing<AutomationItem> {
  const data = ha
    .states()
    .filter((s) => s.entity_id.startsWith('automation.'))
    .map((s) => ({
      id: typeof s.attributes.id === 'string' ? s.attributes.id : '',
      alias: friendlyName(ha, s.entity_id),
      entity_id: s.entity_id,
      state: s.state,
      last_triggered: typeof s.attributes.last_triggered === 'string' ? s.attributes.last_triggered : null,
    }))
    .sort((a, b) => a.alias.localeCompare(b.alias));
  const text = data.length === 0 ? 'There are no automations yet.' : `Automations (${data.length}):\n${data.map((a) => `- ${a.alias} (${a.state}${a.last_triggered ? `, last triggered ${a.last_triggered}` : ''})`).join('\n')}`;
  return { data, text };
}
