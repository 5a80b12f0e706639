// The entity cache decodes subscribe_entities exactly as home-assistant-js-websocket does (its
// entities collection is the reference decoder of HA's compressed format), while updating in place;
// and after a resubscription the full set HA resends replaces what went stale.
import { entitiesColl, type Connection, type HassEntities } from 'home-assistant-js-websocket';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { compressState, stateChangedToEntitiesEvent, type EntitiesEvent } from '../../../server/src/ha/demo/compressed.ts';
import { DemoHomeCore } from '../../../server/src/ha/demo/core.ts';
import { EntityCache, type EntityChange } from '../../../server/src/ha/entity-cache.ts';

/** The library's own collection, fed by hand through a stand-in connection. */
function referenceDecoder(): { feed: (msg: EntitiesEvent) => void; state: () => HassEntities } {
  let callback: ((msg: EntitiesEvent) => void) | undefined;
  const conn = {
    haVersion: '2026.10.4',
    subscribeMessage: (cb: (msg: EntitiesEvent) => void) => {
      callback = cb;
      return Promise.resolve(() => Promise.resolve());
    },
    addEventListener: () => {},
    removeEventListener: () => {},
  } as unknown as Connection;
  const coll = entitiesColl(conn);
  coll.subscribe(() => {});
  return { feed: (msg) => callback!(msg), state: () => coll.state };
}

function houseStream() {
  const clock = new ManualClock(Date.parse('2025-06-01T10:00:00Z'));
  const core = new DemoHomeCore({ clock });
  const messages: EntitiesEvent[] = [];
  const snapshot: EntitiesEvent = { a: Object.fromEntries(core.states.all().map((s) => [s.entity_id, compressState(s)])) };
  core.bus.listen('state_changed', (e) =>
    messages.push(stateChangedToEntitiesEvent(e.data.entity_id as string, e.data.old_state as never, e.data.new_state as never)),
  );
  return { clock, core, messages, snapshot };
}

const strip = (s: object | undefined) => {
  if (!s) return s;
  const { last_reported: _ignored, ...rest } = s as Record<string, unknown>;
  return rest;
};

describe('EntityCache', () => {
  it('decodes every kind of change like home-assistant-js-websocket does', async () => {
    const { clock, core, messages, snapshot } = houseStream();
    const ref = referenceDecoder();
    const cache = new EntityCache();
    ref.feed(snapshot);
    cache.apply(snapshot);

    core.states.set('light.kitchen', 'on', { brightness: 200 });
    await clock.advance(1500);
    core.states.set('light.kitchen', 'on', { brightness: 90, effect: 'colorloop' });
    await clock.advance(1500);
    core.states.set('light.kitchen', 'off', { friendly_name: 'Kitchen Light' }, { replaceAttributes: true });
    core.states.set('sensor.new', '1', { unit_of_measurement: 'W' });
    core.states.set('lock.front_door', 'unlocked', undefined, { context: { id: 'CTX1', parent_id: 'PARENT', user_id: 'USER' } });
    core.states.set('lock.front_door', 'locked', undefined, { context: { id: 'CTX2', parent_id: null, user_id: 'USER' } });
    core.states.remove('switch.tv');
    for (const msg of messages) {
      ref.feed(msg);
      cache.apply(msg);
    }

    const expected = ref.state();
    expect(Object.keys(expected).sort()).toEqual(cache.all().map((s) => s.entity_id).sort());
    for (const [id, state] of Object.entries(expected)) expect(cache.get(id), id).toEqual(state);
    // And both agree with the house itself (HA's full states, minus last_reported).
    for (const s of core.states.all()) expect(cache.get(s.entity_id), s.entity_id).toEqual(strip({ ...s, last_changed: new Date(s.last_changed).toISOString(), last_updated: new Date(s.last_updated).toISOString() }));
  });

  it('reports each change with old and new state', () => {
    const { core, messages, snapshot } = houseStream();
    const cache = new EntityCache();
    cache.apply(snapshot);
    const changes: EntityChange[] = [];
    cache.onChange((c) => changes.push(c));
    core.states.set('binary_sensor.front_door', 'on');
    core.states.remove('binary_sensor.front_door');
    messages.forEach((m) => cache.apply(m));
    expect(changes.map((c) => [c.entityId, c.oldState?.state ?? null, c.newState?.state ?? null])).toEqual([
      ['binary_sensor.front_door', 'off', 'on'],
      ['binary_sensor.front_door', 'on', null],
    ]);
  });

  it('after a resubscription the full set replaces the cache: vanished entities are removed, unchanged ones are not re-announced', () => {
    const { core, snapshot } = houseStream();
    const cache = new EntityCache();
    cache.apply(snapshot);
    expect(cache.loaded).toBe(true);
    const changes: EntityChange[] = [];
    cache.onChange((c) => changes.push(c));
    core.states.set('switch.coffee_maker', 'on');
    core.states.remove('switch.tv');
    cache.expectSnapshot();
    cache.apply({ a: Object.fromEntries(core.states.all().map((s) => [s.entity_id, compressState(s)])) });
    expect(changes.map((c) => `${c.entityId}:${c.newState?.state ?? 'removed'}`).sort()).toEqual(['switch.coffee_maker:on', 'switch.tv:removed']);
    expect(cache.has('switch.tv')).toBe(false);
  });

  it('ignores a change for an entity it never saw, and a failing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const cache = new EntityCache((e) => errors.push(e));
    cache.apply({ a: { 'light.a': { s: 'off', a: {}, c: 'X', lc: 1 } } });
    cache.apply({ c: { 'light.ghost': { '+': { s: 'on' } } } });
    expect(cache.has('light.ghost')).toBe(false);
    const seen: string[] = [];
    cache.onChange(() => {
      throw new Error('listener bug');
    });
    cache.onChange((c) => seen.push(c.entityId));
    cache.apply({ c: { 'light.a': { '+': { s: 'on', lc: 2 } } } });
    expect(seen).toEqual(['light.a']);
    expect(errors).toHaveLength(1);
    expect(cache.get('light.a')).toMatchObject({ state: 'on', last_changed: new Date(2000).toISOString() });
  });
});
