// Home Assistant's entities in the compact shape MCP answers with (entity_id, name, state, area),
// from the HA map service (built from the HA client's live state cache on each read). The map's
// entities are loose objects (the HA side owns their fields), so each field is read defensively.
import type { HaMap } from '../../contract/ha-map.ts';

export interface EntityRow {
  entity_id: string;
  name: string;
  state: string | null;
  area: string | null;
}

export interface EntityFilter {
  domain?: string | undefined;
  /** An area's id or name, case-insensitive. */
  area?: string | undefined;
  /** A piece of the name or the entity id, case-insensitive. */
  name?: string | undefined;
}

type MapEntity = HaMap['entities'][number];

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function rowOf(e: MapEntity): EntityRow {
  return { entity_id: e.entity_id, name: str(e.name) ?? e.entity_id, state: str(e.state), area: str(e.area) };
}

export function matches(e: MapEntity, f: EntityFilter): boolean {
  if (f.domain && !e.entity_id.startsWith(`${f.domain.toLowerCase()}.`)) return false;
  if (f.area) {
    const want = f.area.trim().toLowerCase();
    if (str(e.area_id)?.toLowerCase() !== want && str(e.area)?.toLowerCase() !== want) return false;
  }
  if (f.name) {
    const want = f.name.trim().toLowerCase();
    if (!e.entity_id.includes(want) && !(str(e.name) ?? '').toLowerCase().includes(want)) return false;
  }
  return true;
}

export interface HomeByArea {
  generated_at: string;
  areas: { id: string; name: string; entities: Omit<EntityRow, 'area'>[] }[];
  /** Entities in no area: ha_list_entities lists them, they would swamp a map of the rooms. */
  entities_without_area: number;
}

/** The areas with their entities, compact: the `wactorz://home` resource. */
export function homeByArea(map: HaMap): HomeByArea {
  const byArea = new Map(map.areas.map((a) => [a.id, { id: a.id, name: a.name, entities: [] as Omit<EntityRow, 'area'>[] }]));
  let without = 0;
  for (const e of map.entities) {
    const area = byArea.get(str(e.area_id) ?? '');
    if (!area) {
      without++;
      continue;
    }
    const { area: _area, ...row } = rowOf(e);
    area.entities.push(row);
  }
  return { generated_at: map.generated_at, areas: [...byArea.values()], entities_without_area: without };
}
