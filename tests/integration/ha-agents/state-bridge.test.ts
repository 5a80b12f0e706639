import { afterEach, describe, expect, it } from 'vitest';
import { HaStateBridge } from '../../../server/src/agents/ha/state-bridge.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
afterEach(async () => world.close());

interface Change {
  entity_id: string;
  domain: string;
  new_state: { state: string; attributes: Record<string, unknown> } | null;
  old_state: { state: string } | null;
  context: { id: string } | null;
  timestamp: string;
}

describe('home-assistant-state-bridge', () => {
  it('publishes every state change on ha/state_changes/{domain}/{entity_id}, QoS 0, with old and new state', async () => {
    world = await startWorld();
    await world.system.spawn(new HaStateBridge({ ha: world.ha }));
    world.home.setState('binary_sensor.front_door', 'on');
    await eventually(() => world.on('ha/state_changes/binary_sensor/binary_sensor.front_door').length > 0, 'the door change on MQTT');
    const [msg] = world.on('ha/state_changes/binary_sensor/binary_sensor.front_door');
    expect(msg?.qos).toBe(0);
    const change = msg?.payload as Change;
    expect(change).toMatchObject({ entity_id: 'binary_sensor.front_door', domain: 'binary_sensor', new_state: { state: 'on', attributes: { device_class: 'door' } }, old_state: { state: 'off' } });
    expect(change.context?.id).toBe(world.home.getState('binary_sensor.front_door')?.context.id);
    expect(Date.parse(change.timestamp)).toBe(Date.parse(world.home.getState('binary_sensor.front_door')?.last_updated ?? ''));
  });

  it('reports a removed entity with new_state null, and attribute-only changes too', async () => {
    world = await startWorld();
    await world.system.spawn(new HaStateBridge({ ha: world.ha }));
    world.home.setState('light.kitchen', 'off', { brightness: 12 });
    world.home.removeState('input_boolean.guest_mode');
    await eventually(() => world.on('ha/state_changes/input_boolean/input_boolean.guest_mode').length > 0, 'the removal on MQTT');
    expect(world.on('ha/state_changes/input_boolean/input_boolean.guest_mode')[0]?.payload).toMatchObject({ new_state: null, old_state: { state: 'off' } });
    await eventually(() => world.on('ha/state_changes/light/light.kitchen').length > 0, 'the attribute change');
    expect(world.on('ha/state_changes/light/light.kitchen')[0]?.payload).toMatchObject({ new_state: { state: 'off', attributes: { brightness: 12 } } });
  });

  it('bridges only the allowed domains', async () => {
    world = await startWorld();
    await world.system.spawn(new HaStateBridge({ ha: world.ha, domains: ['light'] }));
    world.home.setState('switch.tv', 'off');
    world.home.setState('light.kitchen', 'on');
    await eventually(() => world.on('ha/state_changes/light/light.kitchen').length > 0, 'the light change');
    // The switch changed first: had it been bridged, it would have arrived before the light.
    expect(world.on('ha/state_changes/#').map((s) => s.topic)).toEqual(['wactorz/ha/state_changes/light/light.kitchen']);
    expect(await world.system.ask('home-assistant-state-bridge', 'status')).toMatchObject({ published: 1, skipped: 1, domains: ['light'] });
  });

  it('puts everything on one flat topic when asked, which ha/state_changes/# still matches', async () => {
    world = await startWorld();
    await world.system.spawn(new HaStateBridge({ ha: world.ha, perEntity: false }));
    const seen: string[] = [];
    world.bus.subscribeRaw('wactorz/ha/state_changes/#', (topic) => seen.push(topic));
    await world.synced();
    world.home.setState('light.kitchen', 'on');
    world.home.setState('switch.tv', 'off');
    await eventually(() => seen.length >= 2, 'both changes');
    expect(seen).toEqual(['wactorz/ha/state_changes', 'wactorz/ha/state_changes']);
    expect(world.on('ha/state_changes').map((s) => (s.payload as Change).entity_id)).toEqual(['light.kitchen', 'switch.tv']);
  });

  it('republishes the current state of entities on request (bootstrapping a new rule)', async () => {
    world = await startWorld();
    await world.system.spawn(new HaStateBridge({ ha: world.ha }));
    expect(await world.system.ask('home-assistant-state-bridge', { action: 'republish', entity_ids: ['light.living_room', 'light.nowhere'] })).toEqual({ republished: 1 });
    await eventually(() => world.on('ha/state_changes/light/light.living_room').length > 0, 'the republished state');
    expect(world.on('ha/state_changes/light/light.living_room')[0]?.payload).toMatchObject({ new_state: { state: 'on' }, old_state: null });
  });

  it('stops bridging when stopped', async () => {
    world = await startWorld();
    const bridge = await world.system.spawn(new HaStateBridge({ ha: world.ha }));
    await world.system.stopActor(bridge.id);
    world.home.setState('light.kitchen', 'on');
    world.home.setState('light.bedroom', 'on');
    // A marker published after the changes: once it is seen, the changes would have been too.
    await eventually(() => world.ha.getState('light.bedroom')?.state === 'on', 'the cache to follow');
    world.publish('custom/triggers/marker', { done: true });
    await eventually(() => world.on('custom/triggers/marker').length > 0, 'the marker');
    expect(world.on('ha/state_changes/#')).toEqual([]);
  });
});
