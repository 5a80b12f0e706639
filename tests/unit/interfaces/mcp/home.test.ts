// The compact entity rows and filters of ha_list_entities, and the home by area of wactorz://home.
import { describe, expect, it } from 'vitest';
import type { HaMap } from '../../../../server/src/contract/ha-map.ts';
import { homeByArea, matches, rowOf } from '../../../../server/src/interfaces/mcp/home.ts';

const map: HaMap = {
  generated_at: '2026-01-01T00:00:00.000Z',
  areas: [{ id: 'kitchen', name: 'Kitchen' }, { id: 'garage', name: 'Garage' }],
  entities: [
    { entity_id: 'light.kitchen', name: 'Kitchen Light', state: 'on', area_id: 'kitchen', area: 'Kitchen', labels: [] },
    { entity_id: 'switch.coffee', name: 'Coffee Maker', state: 'off', area_id: 'kitchen', area: 'Kitchen' },
    { entity_id: 'sensor.outside', name: 'Outside Temperature', state: '4.5', area_id: null, area: null },
    { entity_id: 'sun.sun' },
  ],
};

describe('ha_list_entities rows and filters', () => {
  it('reads a loose map entity defensively', () => {
    expect(rowOf(map.entities[0])).toEqual({ entity_id: 'light.kitchen', name: 'Kitchen Light', state: 'on', area: 'Kitchen' });
    expect(rowOf(map.entities[3])).toEqual({ entity_id: 'sun.sun', name: 'sun.sun', state: null, area: null });
  });

  it('filters by domain, by area id or name, by a piece of the name or id, all case-insensitive', () => {
    const ids = (f: Parameters<typeof matches>[1]) => map.entities.filter((e) => matches(e, f)).map((e) => e.entity_id);
    expect(ids({ domain: 'light' })).toEqual(['light.kitchen']);
    expect(ids({ domain: 'ligh' })).toEqual([]);
    expect(ids({ area: 'kitchen' })).toEqual(['light.kitchen', 'switch.coffee']);
    expect(ids({ area: ' KITCHEN ' })).toEqual(['light.kitchen', 'switch.coffee']);
    expect(ids({ name: 'coffee maker' })).toEqual(['switch.coffee']);
    expect(ids({ name: 'OUTSIDE' })).toEqual(['sensor.outside']);
    expect(ids({ domain: 'switch', area: 'Kitchen', name: 'coffee' })).toEqual(['switch.coffee']);
    expect(ids({})).toHaveLength(4);
  });
});

describe('wactorz://home', () => {
  it('lists every area with its entities and counts the entities in none', () => {
    expect(homeByArea(map)).toEqual({
      generated_at: map.generated_at,
      areas: [
        { id: 'kitchen', name: 'Kitchen', entities: [{ entity_id: 'light.kitchen', name: 'Kitchen Light', state: 'on' }, { entity_id: 'switch.coffee', name: 'Coffee Maker', state: 'off' }] },
        { id: 'garage', name: 'Garage', entities: [] },
      ],
      entities_without_area: 2,
    });
  });
});
