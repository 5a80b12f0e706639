// The location-enriched map of the home: floors, areas, zones, devices and entities, each entity
// with its area and floor (its own area, else its device's, as HA resolves them), and GPS and zone
// where HA knows them (device trackers, persons, zones). Built from the client's registries and
// state cache only: nothing is fetched.
import type { HassEntity } from 'home-assistant-js-websocket';
import type { HaCoreConfig, HaRegistries } from '../../../ha/client.ts';

export type MapArea = { id: string; name: string; floor_id: string | null; floor: string | null; aliases: string[] };
export type MapFloor = { id: string; name: string; level: number | null };
export type MapZone = { entity_id: string; name: string; latitude: number; longitude: number; radius: number };
export type MapDevice = { id: string; name: string; area_id: string | null; manufacturer: string | null; model: string | null };
export type MapEntity = {
  entity_id: string;
  domain: string;
  name: string;
  state?: string;
  device_class?: string;
  area_id: string | null;
  area: string | null;
  floor_id: string | null;
  floor: string | null;
  device_id: string | null;
  device: string | null;
  labels: string[];
  latitude?: number;
  longitude?: number;
  gps_accuracy?: number;
  /** The zone the entity is in, for entities with coordinates (or a tracker's own zone state). */
  zone?: string;
};

export type HaMapSnapshot = {
  type: 'home_assistant_map';
  generated_at: string;
  location: { name: string; latitude: number; longitude: number; elevation: number; time_zone: string } | null;
  floors: MapFloor[];
  areas: MapArea[];
  zones: MapZone[];
  devices: MapDevice[];
  entities: MapEntity[];
};

export interface BuildInput {
  registries: HaRegistries;
  states: readonly HassEntity[];
  config: HaCoreConfig | undefined;
  now: number;
  /** Leave entity states out (the `refresh simple` command). */
  withStates?: boolean;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function buildMap({ registries, states, config, now, withStates = true }: BuildInput): HaMapSnapshot {
  const floors: MapFloor[] = registries.floors.map((f) => ({ id: f.floor_id, name: f.name, level: f.level }));
  const floorName = new Map(floors.map((f) => [f.id, f.name]));
  const areas: MapArea[] = registries.areas.map((a) => ({ id: a.area_id, name: a.name, floor_id: a.floor_id, floor: a.floor_id ? (floorName.get(a.floor_id) ?? null) : null, aliases: a.aliases }));
  const areaById = new Map(areas.map((a) => [a.id, a]));
  const devices: MapDevice[] = registries.devices
    .filter((d) => !d.disabled_by)
    .map((d) => ({ id: d.id, name: d.name_by_user ?? d.name ?? d.id, area_id: d.area_id, manufacturer: d.manufacturer, model: d.model }));
  const deviceById = new Map(devices.map((d) => [d.id, d]));
  const stateById = new Map(states.map((s) => [s.entity_id, s]));

  const zones: MapZone[] = [];
  for (const s of states) {
    if (!s.entity_id.startsWith('zone.')) continue;
    const lat = num(s.attributes.latitude);
    const lon = num(s.attributes.longitude);
    if (lat === undefined || lon === undefined) continue;
    zones.push({ entity_id: s.entity_id, name: str(s.attributes.friendly_name) ?? s.entity_id, latitude: lat, longitude: lon, radius: num(s.attributes.radius) ?? 100 });
  }

  const entities: MapEntity[] = [];
  const seen = new Set<string>();
  const add = (entityId: string, reg: HaRegistries['entities'][number] | undefined) => {
    seen.add(entityId);
    const state = stateById.get(entityId);
    const device = reg?.device_id ? deviceById.get(reg.device_id) : undefined;
    const areaId = reg?.area_id ?? device?.area_id ?? null;
    const area = areaId ? areaById.get(areaId) : undefined;
    const attrs = state?.attributes ?? {};
    const entity: MapEntity = {
      entity_id: entityId,
      domain: entityId.slice(0, entityId.indexOf('.')),
      name: str(attrs.friendly_name) ?? reg?.name ?? reg?.original_name ?? entityId,
      ...(withStates && state ? { state: state.state } : {}),
      ...(str(attrs.device_class) ? { device_class: str(attrs.device_class) } : {}),
      area_id: areaId,
      area: area?.name ?? null,
      floor_id: area?.floor_id ?? null,
      floor: area?.floor ?? null,
      device_id: device?.id ?? null,
      device: device?.name ?? null,
      labels: reg?.labels ?? [],
    };
    const lat = num(attrs.latitude);
    const lon = num(attrs.longitude);
    if (lat !== undefined && lon !== undefined && !entityId.startsWith('zone.')) {
      entity.latitude = lat;
      entity.longitude = lon;
      const accuracy = num(attrs.gps_accuracy);
      if (accuracy !== undefined) entity.gps_accuracy = accuracy;
      const zone = zoneAt(zones, lat, lon);
      if (zone) entity.zone = zone;
    } else if ((entityId.startsWith('device_tracker.') || entityId.startsWith('person.')) && state && state.state !== 'not_home' && state.state !== 'unknown') {
      entity.zone = state.state;
    }
    entities.push(entity);
  };
  for (const reg of registries.entities) if (!reg.disabled_by) add(reg.entity_id, reg);
  // Entities without a registry entry (YAML-defined, sun.sun on some installs) exist all the same.
  for (const s of states) if (!seen.has(s.entity_id)) add(s.entity_id, undefined);
  entities.sort((a, b) => a.entity_id.localeCompare(b.entity_id));

  return {
    type: 'home_assistant_map',
    generated_at: new Date(now).toISOString(),
    location: config ? { name: config.location_name, latitude: config.latitude, longitude: config.longitude, elevation: config.elevation, time_zone: config.time_zone } : null,
    floors,
    areas,
    zones,
    devices,
    entities,
  };
}

/** The smallest zone containing the point (HA's own rule for overlapping zones), by name. */
function zoneAt(zones: readonly MapZone[], lat: number, lon: number): string | undefined {
  let best: MapZone | undefined;
  for (const z of zones) {
    if (distanceMeters(lat, lon, z.latitude, z.longitude) > z.radius) continue;
    if (!best || z.radius < best.radius) best = z;
  }
  return best?.name;
}

function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}
