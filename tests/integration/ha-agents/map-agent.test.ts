import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { HaMapSnapshot } from '../../../server/src/agents/ha/map/build-map.ts';
import { reassemble, type MapChunk, type MapManifest } from '../../../server/src/agents/ha/map/chunks.ts';
import { HaMapAgent, HaMapStore } from '../../../server/src/agents/ha/map/map-agent.ts';
import { createHaMapService } from '../../../server/src/services/ha-map.ts';
import { buildTestApp } from '../../helpers/http-app.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
afterEach(async () => world.close());

const MAP_TOPIC = 'ha/map/entities_with_location';

describe('home-assistant-map-agent', () => {
  it('publishes the map retained once HA is loaded, and serves it on GET /api/ha-map (404 before)', async () => {
    world = await startWorld();
    const store = new HaMapStore();
    const http = await buildTestApp({ services: { haMap: store.service() } });
    try {
      expect((await http.app.inject({ method: 'GET', url: '/api/ha-map' })).statusCode).toBe(404);
      await world.system.spawn(new HaMapAgent({ ha: world.ha, store }));
      await eventually(() => world.on(MAP_TOPIC).length > 0, 'the map on MQTT');
      const msg = world.on(MAP_TOPIC)[0];
      const map = msg?.payload as HaMapSnapshot;
      expect(map.type).toBe('home_assistant_map');
      expect(map.entities.find((e) => e.entity_id === 'lock.front_door')).toMatchObject({ area: 'Hallway', floor: 'Ground floor', state: 'locked' });
      const res = await http.app.inject({ method: 'GET', url: '/api/ha-map' });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ generated_at: string; areas: { id: string; name: string }[]; entities: { entity_id: string }[] }>();
      expect(body.generated_at).toBe(map.generated_at);
      expect(body.areas.map((a) => a.id)).toContain('hallway');
      expect(body.entities).toHaveLength(map.entities.length);
      // Retained: a client connecting later gets it from the broker.
      const late = await mqtt.connectAsync(world.broker.url);
      try {
        const got = new Promise<{ retain: boolean; payload: HaMapSnapshot }>((resolve) => late.on('message', (_t, payload, packet) => resolve({ retain: packet.retain, payload: JSON.parse(payload.toString()) as HaMapSnapshot })));
        await late.subscribeAsync(`wactorz/${MAP_TOPIC}`);
        const retained = await got;
        expect(retained.retain).toBe(true);
        expect(retained.payload.generated_at).toBe(map.generated_at);
      } finally {
        await late.endAsync();
      }
    } finally {
      await http.close();
    }
  });

  it('serves the states as they are now on GET /api/ha-map, not those of the last rebuild', async () => {
    world = await startWorld();
    const store = new HaMapStore();
    const http = await buildTestApp({ services: { haMap: createHaMapService(world.ha, world.clock, store.service()) } });
    try {
      expect((await http.app.inject({ method: 'GET', url: '/api/ha-map' })).statusCode).toBe(404);
      await world.system.spawn(new HaMapAgent({ ha: world.ha, store }));
      await eventually(() => store.latest() !== undefined, 'the first map');
      const before = world.ha.getState('light.kitchen')?.state;
      const turned = before === 'on' ? 'off' : 'on';
      world.home.setState('light.kitchen', turned);
      await eventually(() => world.ha.getState('light.kitchen')?.state === turned, 'the client to see the change');
      await world.clock.advance(60_000);
      const body = (await http.app.inject({ method: 'GET', url: '/api/ha-map' })).json<{ generated_at: string; entities: { entity_id: string; state?: string }[] }>();
      expect(body.entities.find((e) => e.entity_id === 'light.kitchen')?.state).toBe(turned);
      expect(body.generated_at).toBe(new Date(world.clock.now()).toISOString());
      // The agent's own snapshot (what the planner reads) still waits for a registry change.
      expect(store.latest()?.generated_at).not.toBe(body.generated_at);
    } finally {
      await http.close();
    }
  });

  it('rebuilds once for a burst of registry changes, after the debounce', async () => {
    world = await startWorld();
    const store = new HaMapStore();
    await world.system.spawn(new HaMapAgent({ ha: world.ha, store, debounceMs: 1_000 }));
    await eventually(() => store.latest() !== undefined, 'the first map');
    const first = store.latest();
    world.home.core.registries.update('areas', 'kitchen', { name: 'Cook Room' });
    world.home.core.registries.update('entities', 'light.kitchen', { area_id: 'living_room' });
    await eventually(() => world.ha.registries().areas.some((a) => a.name === 'Cook Room') && world.ha.registries().entities.some((e) => e.entity_id === 'light.kitchen' && e.area_id === 'living_room'), 'the client to reload its registries');
    expect(store.latest()).toBe(first);
    await world.clock.advance(1_000);
    await eventually(() => store.latest() !== first, 'the rebuilt map');
    const map = store.latest() as HaMapSnapshot;
    expect(map.areas.find((a) => a.id === 'kitchen')?.name).toBe('Cook Room');
    expect(map.entities.find((e) => e.entity_id === 'light.kitchen')).toMatchObject({ area: 'Living Room' });
    expect(await world.system.ask('home-assistant-map-agent', 'status')).toMatchObject({ rebuilds: 2 });
  });

  it('chunks a large map into retained pieces that a late subscriber can put back together, clearing stale ones', async () => {
    world = await startWorld();
    const store = new HaMapStore();
    await world.system.spawn(new HaMapAgent({ ha: world.ha, store, maxChunkBytes: 2_000 }));
    await eventually(() => world.on(MAP_TOPIC).length > 0, 'the manifest');
    const total = (world.on(MAP_TOPIC)[0]?.payload as MapManifest).total;
    expect(total).toBeGreaterThan(3);

    const late = await mqtt.connectAsync(world.broker.url);
    try {
      let manifest: MapManifest | undefined;
      const chunks = new Map<number, MapChunk>();
      const cleared: string[] = [];
      late.on('message', (topic, payload) => {
        if (payload.length === 0) return void cleared.push(topic);
        const value = JSON.parse(payload.toString()) as MapManifest | MapChunk;
        if (value.type === 'home_assistant_map_chunked') manifest = value;
        else chunks.set(value.index, value);
      });
      await late.subscribeAsync(`wactorz/${MAP_TOPIC}/#`);
      await eventually(() => manifest !== undefined && chunks.size === total, () => `manifest and ${total} chunks (have ${chunks.size})`);
      expect(reassemble(manifest as MapManifest, [...chunks.values()])).toEqual(store.latest());
      for (const c of chunks.values()) expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThanOrEqual(2_000);

      // Fewer entities, fewer chunks: the old tail is removed from the broker.
      for (const s of world.ha.states().filter((e) => e.entity_id.startsWith('sensor.') || e.entity_id.startsWith('light.'))) world.home.removeState(s.entity_id);
      for (const e of world.ha.registries().entities.filter((x) => x.entity_id.startsWith('sensor.') || x.entity_id.startsWith('light.'))) world.home.core.registries.remove('entities', e.entity_id);
      await eventually(() => !world.ha.states().some((s) => s.entity_id.startsWith('light.')), 'the lights gone from the cache');
      const before = store.latest();
      expect(await world.system.ask<{ chunks: number }>('home-assistant-map-agent', 'refresh')).toMatchObject({ chunks: expect.any(Number) as unknown });
      const after = store.chunks;
      expect(store.latest()).not.toBe(before);
      expect(after).toBeLessThan(total);
      await eventually(() => cleared.length === total - after, () => `${total - after} stale chunks cleared (saw ${cleared.length})`);
      expect(cleared.sort()).toEqual(Array.from({ length: total - after }, (_, i) => `wactorz/${MAP_TOPIC}/chunks/${after + i}`).sort());
    } finally {
      await late.endAsync();
    }
  });

  it('answers status and refresh simple (without states) as commands', async () => {
    world = await startWorld();
    const store = new HaMapStore();
    await world.system.spawn(new HaMapAgent({ ha: world.ha, store }));
    await eventually(() => store.latest() !== undefined, 'the first map');
    expect(await world.system.ask('home-assistant-map-agent', 'refresh simple')).toMatchObject({ chunks: 0 });
    expect(store.latest()?.entities.every((e) => e.state === undefined)).toBe(true);
    expect(await world.system.ask('home-assistant-map-agent', 'status')).toMatchObject({ connection: 'connected', rebuilds: 2, chunks: 0, last_error: null });
  });
});
