import { describe, expect, it } from 'vitest';
import { buildMap } from '../../../../server/src/agents/ha/map/build-map.ts';
import { chunkMap, reassemble } from '../../../../server/src/agents/ha/map/chunks.ts';
import { demoView } from './demo-snapshot.ts';

function demoMap(withStates = true) {
  const home = demoView();
  return buildMap({ registries: home.registries(), states: home.states(), config: home.config(), now: Date.UTC(2026, 0, 1), withStates });
}

describe('the location-enriched map', () => {
  it('gives each entity its area and floor, through its device when it has no area of its own', () => {
    const map = demoMap();
    const lamp = map.entities.find((e) => e.entity_id === 'light.floor_lamp');
    expect(lamp).toMatchObject({ area_id: 'living_room', area: 'Living Room', floor_id: 'ground_floor', floor: 'Ground floor', device: 'Floor Lamp', state: 'off', domain: 'light' });
    expect(map.entities.find((e) => e.entity_id === 'light.bedroom')).toMatchObject({ area: 'Bedroom', floor: 'First floor' });
    expect(map.areas.map((a) => a.id)).toEqual(expect.arrayContaining(['living_room', 'kitchen', 'hallway', 'garage', 'bedroom']));
    expect(map.floors).toHaveLength(2);
    expect(map.generated_at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('places trackers and persons in the zone their GPS falls in, and keeps the home location', () => {
    const map = demoMap();
    expect(map.zones).toEqual([expect.objectContaining({ entity_id: 'zone.home', name: 'Demo Home', radius: 100 })]);
    expect(map.entities.find((e) => e.entity_id === 'device_tracker.phone')).toMatchObject({ latitude: 52.3731, longitude: 4.8922, gps_accuracy: 12, zone: 'Demo Home' });
    expect(map.entities.find((e) => e.entity_id === 'person.alex')).toMatchObject({ zone: 'Demo Home' });
    expect(map.location).toMatchObject({ name: 'Demo Home', time_zone: 'Europe/Amsterdam' });
  });

  it('includes entities without a registry entry, and leaves states out when asked', () => {
    expect(demoMap().entities.some((e) => e.entity_id === 'sun.sun')).toBe(true);
    expect(demoMap(false).entities.every((e) => e.state === undefined)).toBe(true);
  });
});

describe('map chunking', () => {
  it('sends a small map whole', () => {
    const map = demoMap();
    expect(chunkMap(map, 'snap', 1_000_000)).toEqual({ chunked: false, map });
  });

  it('splits a large map into chunks under the limit, numbered index/total, that reassemble exactly', () => {
    const map = demoMap();
    const limit = 2_000;
    const out = chunkMap(map, 'snap-1', limit);
    if (!out.chunked) throw new Error('expected chunks');
    expect(out.chunks.length).toBeGreaterThan(3);
    out.chunks.forEach((c, i) => {
      expect(c).toMatchObject({ type: 'home_assistant_map_chunk', snapshot_id: 'snap-1', index: i, total: out.chunks.length });
      expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThanOrEqual(limit);
      expect(c.entities.length).toBeGreaterThan(0);
    });
    expect(out.manifest).toMatchObject({ type: 'home_assistant_map_chunked', snapshot_id: 'snap-1', total: out.chunks.length, entity_count: map.entities.length, entities: [] });
    expect(out.manifest.areas).toEqual(map.areas);
    // Any arrival order reassembles; a missing chunk or one of another snapshot does not.
    expect(reassemble(out.manifest, [...out.chunks].reverse())).toEqual(map);
    expect(reassemble(out.manifest, out.chunks.slice(1))).toBeUndefined();
    expect(reassemble(out.manifest, out.chunks.map((c, i) => (i === 0 ? { ...c, snapshot_id: 'other' } : c)))).toBeUndefined();
  });

  it('never drops an entity larger than the limit: it travels alone', () => {
    const map = demoMap();
    const big = { ...map, entities: [...map.entities.slice(0, 2), { ...map.entities[2], name: 'x'.repeat(5_000) }, ...map.entities.slice(3, 5)] };
    const out = chunkMap(big, 's', 3_000);
    if (!out.chunked) throw new Error('expected chunks');
    expect(out.chunks.find((c) => c.entities.some((e) => e.name.length === 5_000))?.entities).toHaveLength(1);
    expect(reassemble(out.manifest, out.chunks)?.entities).toEqual(big.entities);
  });
});
