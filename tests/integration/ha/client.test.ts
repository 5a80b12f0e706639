// The real client (home-assistant-js-websocket over `ws`) against the demo home: what agents rely
// on - the state cache, registries, config, services, call_service and its errors - and what keeps
// them honest when HA misbehaves: a refused token, a dropped socket, an HA restart.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import type { DemoHome } from '../../../server/src/ha/demo/demo-home.ts';
import type { LiveHaClient } from '../../../server/src/ha/live-client.ts';
import { connectClient, haRejection, startDemoHome, waitForCachedState, waitForConnection, waitUntil } from '../../helpers/ha.ts';
import { freePort } from '../../helpers/brokers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ home: DemoHome; client: LiveHaClient }> {
  const home = await startDemoHome();
  cleanups.push(() => home.stop());
  const client = await connectClient(home);
  cleanups.push(() => client.stop());
  await client.ready();
  return { home, client };
}

describe('what HA is', () => {
  it('loads states, config, services and the five registries on connect', async () => {
    const { client } = await setup();
    expect(client.health()).toEqual({ mode: 'direct', state: 'connected', version: '2026.10.4' });
    expect(client.getState('sun.sun')?.state).toMatch(/^(above|below)_horizon$/);
    expect(client.states().length).toBeGreaterThan(20);
    expect(client.config()).toMatchObject({ time_zone: 'Europe/Amsterdam', version: '2026.10.4' });
    expect(client.hasService('notify', 'mobile_app_phone')).toBe(true);
    const r = client.registries();
    expect(r.areas.map((a) => a.name)).toContain('Garage');
    expect(r.floors).toHaveLength(2);
    expect(r.devices.find((d) => d.name === 'Garage Door')?.area_id).toBe('garage');
    expect(r.entities.find((e) => e.entity_id === 'cover.garage_door')?.labels).toEqual(['security']);
    expect(r.labels.map((l) => l.label_id)).toEqual(['security', 'lighting']);
  });

  it('refreshes a registry when HA fires its *_registry_updated event', async () => {
    const { home, client } = await setup();
    const changed: string[] = [];
    client.onRegistryChange((kind) => changed.push(kind));
    home.core.registries.update('areas', 'garage', { name: 'Workshop' });
    await waitUntil(() => client.registries().areas.find((a) => a.area_id === 'garage')?.name === 'Workshop', () => 'the renamed area', (wake) => client.onRegistryChange(wake));
    expect(changed).toContain('areas');
  });

  it('runs other WebSocket commands through command()', async () => {
    const { client } = await setup();
    const user = await client.command<{ is_admin: boolean }>({ type: 'auth/current_user' });
    expect(user.is_admin).toBe(true);
    const err = await haRejection(client.command({ type: 'no/such_command' }));
    expect(err.message).toContain('Unknown command.');
  });
});

describe('entity state cache', () => {
  it('follows state changes made in HA, without fetching states again', async () => {
    const { home, client } = await setup();
    const seen: string[] = [];
    client.onStateChange((c) => seen.push(`${c.entityId}:${c.oldState?.state}->${c.newState?.state}`));
    home.setState('binary_sensor.front_door', 'on');
    await waitForCachedState(client, 'binary_sensor.front_door', (s) => s?.state === 'on');
    expect(seen).toEqual(['binary_sensor.front_door:off->on']);
    home.setState('sensor.living_room_temperature', '22.4', { unit_of_measurement: '°C' });
    const temp = await waitForCachedState(client, 'sensor.living_room_temperature', (s) => s?.state === '22.4');
    expect(temp).toMatchObject({ attributes: { device_class: 'temperature', unit_of_measurement: '°C' } });
  });

  it('adds and removes entities', async () => {
    const { home, client } = await setup();
    home.setState('sensor.power', '120', { unit_of_measurement: 'W' });
    await waitForCachedState(client, 'sensor.power', (s) => s?.state === '120');
    home.removeState('sensor.power');
    await waitForCachedState(client, 'sensor.power', (s) => s === undefined);
  });

  it('delivers raw events to subscribeEvents listeners', async () => {
    const { home, client } = await setup();
    const events: unknown[] = [];
    const unsub = await client.subscribeEvents((e) => events.push(e.data), 'doorbell_pressed');
    home.fireEvent('doorbell_pressed', { button: 'front' });
    await waitUntil(() => events.length > 0, () => 'the doorbell event', (wake) => {
      const t = setInterval(wake, 10);
      return () => clearInterval(t);
    });
    expect(events).toEqual([{ button: 'front' }]);
    await unsub();
  });
});

describe('call_service', () => {
  it('changes the house and the cache sees the new state', async () => {
    const { home, client } = await setup();
    const result = await client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: 'light.kitchen' }, data: { brightness_pct: 50 } });
    expect(result.context.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(client.getState('light.kitchen')).toMatchObject({ state: 'on', attributes: { brightness: 128 } });
    await client.callService({ domain: 'lock', service: 'unlock', data: { entity_id: 'lock.front_door' } });
    await client.callService({ domain: 'cover', service: 'open_cover', target: { entity_id: 'cover.garage_door' } });
    await client.callService({ domain: 'climate', service: 'set_temperature', target: { entity_id: 'climate.living_room' }, data: { temperature: 22.5 } });
    await client.callService({ domain: 'notify', service: 'mobile_app_phone', data: { message: 'The front door opened', title: 'Door' } });
    expect(home.getState('lock.front_door')?.state).toBe('unlocked');
    expect(home.getState('cover.garage_door')).toMatchObject({ state: 'open', attributes: { current_position: 100 } });
    expect(home.getState('climate.living_room')?.attributes.temperature).toBe(22.5);
    expect(home.notifications()).toEqual([expect.objectContaining({ service: 'notify.mobile_app_phone', message: 'The front door opened', title: 'Door' })]);
  });

  it('refuses an unknown service or entity before sending, naming what exists', async () => {
    const { home, client } = await setup();
    const svc = await haRejection(client.callService({ domain: 'light', service: 'explode', target: { entity_id: 'light.kitchen' } }));
    expect(svc.code).toBe('unknown_service');
    expect(svc.message).toBe('Home Assistant has no service light.explode (light offers: toggle, turn_off, turn_on).');
    const ent = await haRejection(client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: ['light.kitchen', 'light.attic'] } }));
    expect(ent.code).toBe('unknown_entity');
    expect(ent.message).toContain('no entity light.attic');
    expect(ent.message).toContain('light.kitchen');
    expect(home.serviceCalls()).toHaveLength(0);
  });

  it('passes HA refusals on as HaError with HA code and message', async () => {
    const { client } = await setup();
    const range = await haRejection(client.callService({ domain: 'climate', service: 'set_temperature', target: { entity_id: 'climate.living_room' }, data: { temperature: 45 } }));
    expect(range.code).toBe('service_validation_error');
    expect(range.message).toContain('Accepted range is 7 to 30');
    const bad = await haRejection(client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: 'light.kitchen' }, data: { brightness: 'max' } }));
    expect(bad.code).toBe('invalid_format');
  });

  it('does not act while disconnected and says why', async () => {
    const { home, client } = await setup();
    await home.stop();
    await waitForConnection(client, 'disconnected');
    const err = await haRejection(client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: 'light.kitchen' } }));
    expect(err.code).toBe('not_connected');
    expect(err.message).toContain('light.turn_on was not sent');
  });

  it('honours an already aborted signal', async () => {
    const { home, client } = await setup();
    const err = await haRejection(client.callService({ domain: 'light', service: 'turn_on', target: { entity_id: 'light.kitchen' } }, { signal: AbortSignal.abort() }));
    expect(err.code).toBe('aborted');
    expect(home.serviceCalls()).toHaveLength(0);
  });
});

describe('authentication failure', () => {
  it('a bad token ends in state failed with a clear error, and ready() rejects', async () => {
    const home = await startDemoHome();
    cleanups.push(() => home.stop());
    const client = await connectClient(home, { token: 'wrong-token' });
    cleanups.push(() => client.stop());
    expect(client.health()).toMatchObject({ state: 'failed', error: expect.stringContaining('refused the access token') as string });
    expect(JSON.stringify(client.health())).not.toContain('wrong-token');
    const err = await haRejection(client.ready());
    expect(err.code).toBe('auth_invalid');
    expect(home.connectionCount()).toBe(0);
  });

  it('a token revoked while connected fails the reconnect instead of retrying forever', async () => {
    const { home, client } = await setup();
    home.setToken('rotated-token-000000');
    home.dropConnections();
    await waitForConnection(client, 'failed');
    expect(client.health().error).toContain('auth_invalid');
  });
});

describe('reconnect and resubscribe', () => {
  it('after the server kills the socket, later state changes still reach the cache', async () => {
    const { home, client } = await setup();
    home.dropConnections();
    await waitForConnection(client, 'disconnected');
    await waitForConnection(client, 'connected');
    home.setState('binary_sensor.hallway_motion', 'on');
    await waitForCachedState(client, 'binary_sensor.hallway_motion', (s) => s?.state === 'on');
  });

  it('after an HA restart on the same port: resubscribed, changes made while down are reconciled', async () => {
    const { home, client } = await setup();
    const states: string[] = [];
    client.onConnectionState((s) => states.push(s));
    await home.stop();
    await waitForConnection(client, 'disconnected');
    home.setState('switch.coffee_maker', 'on');
    home.removeState('switch.tv');
    await home.start();
    await waitForConnection(client, 'connected');
    await waitForCachedState(client, 'switch.coffee_maker', (s) => s?.state === 'on');
    await waitForCachedState(client, 'switch.tv', (s) => s === undefined);
    home.setState('sensor.bedroom_temperature', '18.2');
    await waitForCachedState(client, 'sensor.bedroom_temperature', (s) => s?.state === '18.2');
    home.core.registries.update('areas', 'kitchen', { name: 'Kitchen & Dining' });
    await waitUntil(() => client.registries().areas.some((a) => a.name === 'Kitchen & Dining'), () => 'the registry event after reconnect', (wake) => client.onRegistryChange(wake));
    expect(states).toEqual(expect.arrayContaining(['disconnected', 'connected']));
    expect(home.connectionCount()).toBe(1);
  });

  it('an HA that is down at start is retried on the injected clock until it answers', async () => {
    const port = await freePort();
    const home = await startDemoHome({ port });
    await home.stop();
    cleanups.push(() => home.stop());
    const clock = new ManualClock();
    const client = await connectClient(home, { clock, retryBaseMs: 1000 });
    cleanups.push(() => client.stop());
    expect(client.connectionState()).toBe('connecting');
    expect(client.health().error).toContain('cannot connect');
    await home.start();
    await clock.advance(1000);
    await waitForConnection(client, 'connected');
    await client.ready();
    expect(client.getState('lock.front_door')?.state).toBe('locked');
  });

  it('stop() closes the socket and leaves no timers', async () => {
    const port = await freePort();
    const home = await startDemoHome({ port });
    await home.stop();
    cleanups.push(() => home.stop());
    const clock = new ManualClock();
    const client = await connectClient(home, { clock });
    expect(clock.pending()).toBe(1);
    await client.stop();
    expect(clock.pending()).toBe(0);
    expect(client.health().state).toBe('disabled');
  });
});
