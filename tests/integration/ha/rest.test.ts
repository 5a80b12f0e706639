// HA's REST API as the demo home serves it, and the client's REST half on top: automation config
// CRUD (with the automation entity appearing and disappearing), camera snapshots, history and
// conversation, each behind the Bearer token.
import { inflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoHome } from '../../../server/src/ha/demo/demo-home.ts';
import { HaError } from '../../../server/src/ha/errors.ts';
import type { LiveHaClient } from '../../../server/src/ha/live-client.ts';
import { connectClient, startDemoHome, waitForCachedState } from '../../helpers/ha.ts';

let home: DemoHome;
let client: LiveHaClient;

beforeEach(async () => {
  home = await startDemoHome();
  client = await connectClient(home);
  await client.ready();
});
afterEach(async () => {
  await client.stop();
  await home.stop();
});

const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const { token = home.token, ...rest } = init;
  const headers: Record<string, string> = { ...(rest.body ? { 'content-type': 'application/json' } : {}) };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return fetch(`${home.url}/api/${path}`, { ...rest, headers });
};

describe('REST API basics', () => {
  it('answers 401 without the Bearer token or with a wrong one', async () => {
    for (const token of [null, 'wrong']) {
      const res = await api('states', { token });
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('401: Unauthorized');
    }
  });

  it('serves /api/, /api/config and states (404 for an unknown entity)', async () => {
    expect(await (await api('')).json()).toEqual({ message: 'API running.' });
    expect(await (await api('config')).json()).toMatchObject({ time_zone: 'Europe/Amsterdam', version: '2026.10.4' });
    const lock = await api('states/lock.front_door');
    expect(await lock.json()).toMatchObject({ entity_id: 'lock.front_door', state: 'locked' });
    const missing = await api('states/lock.back_door');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Entity not found.' });
  });

  it('POST /api/states creates (201) and updates (200) a state the client then sees', async () => {
    const created = await api('states/sensor.rain', { method: 'POST', body: JSON.stringify({ state: '3', attributes: { unit_of_measurement: 'mm' } }) });
    expect(created.status).toBe(201);
    const updated = await api('states/sensor.rain', { method: 'POST', body: JSON.stringify({ state: '4' }) });
    expect(updated.status).toBe(200);
    await waitForCachedState(client, 'sensor.rain', (s) => s?.state === '4');
  });

  it('POST /api/services/<domain>/<service> acts and returns the changed states; unknown service is 400', async () => {
    const res = await api('services/switch/turn_on', { method: 'POST', body: JSON.stringify({ entity_id: 'switch.coffee_maker' }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { entity_id: string; state: string }[]).map((s) => [s.entity_id, s.state])).toEqual([['switch.coffee_maker', 'on']]);
    expect((await api('services/switch/explode', { method: 'POST', body: '{}' })).status).toBe(400);
  });
});

describe('automation config', () => {
  const config = {
    alias: 'Door opens, hallway light on',
    triggers: [{ trigger: 'state', entity_id: 'binary_sensor.front_door', to: 'on' }],
    actions: [{ action: 'light.turn_on', target: { entity_id: 'light.hallway' } }],
    mode: 'single',
  };

  it('create -> the automation entity appears; read back with its id; delete -> it disappears', async () => {
    expect(await client.getAutomationConfig('door_light')).toBeUndefined();
    await client.saveAutomationConfig('door_light', config);
    const entity = await waitForCachedState(client, 'automation.door_opens_hallway_light_on', (s) => s?.state === 'on');
    expect(entity).toMatchObject({ attributes: { id: 'door_light', friendly_name: 'Door opens, hallway light on' } });
    expect(await client.getAutomationConfig('door_light')).toEqual({ id: 'door_light', ...config });

    await client.callService({ domain: 'automation', service: 'trigger', target: { entity_id: 'automation.door_opens_hallway_light_on' } });
    expect(home.getState('light.hallway')?.state).toBe('on');

    await client.deleteAutomationConfig('door_light');
    await waitForCachedState(client, 'automation.door_opens_hallway_light_on', (s) => s === undefined);
    const again = await client.deleteAutomationConfig('door_light').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(HaError);
    expect((again as HaError).code).toBe('not_found');
  });

  it('lists the shipped automation and refuses an invalid config with HA message', async () => {
    expect(client.getState('automation.hallway_light_on_motion')?.attributes.id).toBe('1735689600001');
    const res = await api('config/automation/config/bad', { method: 'POST', body: JSON.stringify({ alias: 'No triggers', actions: [] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: "Message malformed: required key not provided at 'triggers'" });
    const err = await client.saveAutomationConfig('bad', { alias: 'x', triggers: [{ entity_id: 'a' }], actions: [] }).catch((e: unknown) => e);
    expect((err as HaError).code).toBe('invalid_format');
    expect((err as HaError).message).toContain("at 'triggers[0].trigger'");
  });
});

describe('camera snapshot', () => {
  it('returns a real PNG for the camera and unknown_entity otherwise', async () => {
    const snap = await client.cameraSnapshot('camera.front_door');
    expect(snap.contentType).toBe('image/png');
    expect([...snap.data.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(snap.data.subarray(12, 16).toString('ascii')).toBe('IHDR');
    const [w, h] = [snap.data.readUInt32BE(16), snap.data.readUInt32BE(20)];
    const idat = snap.data.indexOf('IDAT');
    const pixels = inflateSync(snap.data.subarray(idat + 4, idat + 4 + snap.data.readUInt32BE(idat - 4)));
    expect(pixels.length).toBe((w * 3 + 1) * h);
    const err = await client.cameraSnapshot('camera.back_yard').catch((e: unknown) => e);
    expect((err as HaError).code).toBe('unknown_entity');
  });
});

describe('history', () => {
  it('returns one list per entity from the state at start through the changes, minimal when asked', async () => {
    const t0 = Date.parse('2025-03-01T00:00:00Z');
    home.recordHistory('sensor.bedroom_temperature', '18.0', { unit_of_measurement: '°C' }, t0 - 3_600_000);
    home.recordHistory('sensor.bedroom_temperature', '18.5', { unit_of_measurement: '°C' }, t0 + 3_600_000);
    home.recordHistory('sensor.bedroom_temperature', '19.0', { unit_of_measurement: '°C' }, t0 + 7_200_000);
    home.recordHistory('sensor.bedroom_temperature', '19.5', { unit_of_measurement: '°C' }, t0 + 10_800_000);
    const [series] = await client.history({ entityIds: ['sensor.bedroom_temperature'], start: new Date(t0), end: new Date(t0 + 4 * 3_600_000) });
    expect(series.map((s) => s.state)).toEqual(['18.0', '18.5', '19.0', '19.5']);
    expect(series[0].last_changed.startsWith('2025-03-01T00:00:00')).toBe(true);
    const [minimal] = await client.history({ entityIds: ['sensor.bedroom_temperature'], start: new Date(t0), end: new Date(t0 + 4 * 3_600_000), minimal: true });
    expect(Object.keys(minimal[1]).sort()).toEqual(['last_changed', 'state']);
    expect(minimal[3]).toHaveProperty('attributes');
    const res = await api(`history/period/${encodeURIComponent(new Date(t0).toISOString())}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'filter_entity_id is missing' });
  });

  it('records live state changes', async () => {
    const start = new Date(Date.now() - 1000);
    await client.callService({ domain: 'switch', service: 'toggle', target: { entity_id: 'switch.tv' } });
    const [series] = await client.history({ entityIds: ['switch.tv'], start });
    expect(series.map((s) => s.state)).toEqual(['on', 'off']);
  });
});

describe('conversation/process (Assist without an LLM)', () => {
  it('turns a device on by name and answers like HA default agent', async () => {
    const result = await client.conversation('Turn on the kitchen light');
    expect(result.response.response_type).toBe('action_done');
    expect(result.response.speech?.plain?.speech).toBe('Turned on Kitchen Light');
    expect(result.conversation_id).toMatch(/^[0-9A-Z]{26}$/);
    await waitForCachedState(client, 'light.kitchen', (s) => s?.state === 'on');
  });

  it('turns off every light of an area, answers state questions, and admits what it does not understand', async () => {
    await client.conversation('turn off the lights in the living room');
    expect(home.getState('light.living_room')?.state).toBe('off');
    expect(home.getState('switch.tv')?.state).toBe('on');
    expect((await client.conversation('what is the living room temperature?')).response.speech?.plain?.speech).toBe('Living Room Temperature is 21.5 °C');
    const unknown = await client.conversation('sing me a song');
    expect(unknown.response).toMatchObject({ response_type: 'error', data: { code: 'no_intent_match' } });
  });
});
