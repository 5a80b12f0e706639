// The demo home against HA's documented WebSocket protocol (developers.home-assistant.io/docs/api/
// websocket and HA core's websocket_api), frame by frame with a bare socket: if these drift, every
// test that uses the demo home in place of HA proves less.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoHome } from '../../../server/src/ha/demo/demo-home.ts';
import { DEMO_HA_VERSION } from '../../../server/src/ha/demo/protocol.ts';
import { authedSocket, rawSocket, startDemoHome, type RawHaSocket } from '../../helpers/ha.ts';

let home: DemoHome;
const open: RawHaSocket[] = [];

beforeEach(async () => {
  home = await startDemoHome();
});
afterEach(async () => {
  open.splice(0).forEach((s) => s.close());
  await home.stop();
});

const track = (s: RawHaSocket) => (open.push(s), s);
const byId = (id: number) => (f: Record<string, unknown>) => f.id === id;

describe('authentication phase', () => {
  it('greets with auth_required carrying ha_version, and answers a valid token with auth_ok', async () => {
    const s = track(await rawSocket(home));
    expect(await s.next()).toEqual({ type: 'auth_required', ha_version: DEMO_HA_VERSION });
    s.send({ type: 'auth', access_token: home.token });
    expect(await s.next()).toEqual({ type: 'auth_ok', ha_version: DEMO_HA_VERSION });
  });

  it('answers a wrong token with auth_invalid and closes the session', async () => {
    const s = track(await rawSocket(home));
    await s.next();
    s.send({ type: 'auth', access_token: 'not-the-token' });
    expect(await s.next()).toEqual({ type: 'auth_invalid', message: 'Invalid access token or password' });
    await s.closed;
    expect(s.ws.readyState).toBe(s.ws.CLOSED);
  });

  it('refuses a first message that is not an auth message', async () => {
    const s = track(await rawSocket(home));
    await s.next();
    s.send({ id: 1, type: 'get_states' });
    const f = await s.next();
    expect(f.type).toBe('auth_invalid');
    expect(String(f.message)).toMatch(/^Auth message incorrectly formatted/);
    await s.closed;
  });
});

describe('command phase', () => {
  it('answers commands with result frames carrying the same integer id', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 5, type: 'get_states' });
    const f = await s.next(byId(5));
    expect(f).toMatchObject({ id: 5, type: 'result', success: true });
    const states = f.result as { entity_id: string; state: string; attributes: object; last_changed: string; last_updated: string; context: object }[];
    expect(states.map((st) => st.entity_id)).toContain('binary_sensor.front_door');
    for (const st of states) expect(Object.keys(st).sort()).toEqual(['attributes', 'context', 'entity_id', 'last_changed', 'last_reported', 'last_updated', 'state']);
  });

  it('rejects ids that do not increase (id_reuse), malformed messages (invalid_format) and unknown commands', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 3, type: 'ping' });
    await s.next(byId(3));
    s.send({ id: 3, type: 'ping' });
    expect(await s.next(byId(3))).toEqual({ id: 3, type: 'result', success: false, error: { code: 'id_reuse', message: 'Identifier values have to increase.' } });
    s.send({ type: 'get_states' });
    expect(await s.next()).toEqual({ id: null, type: 'result', success: false, error: { code: 'invalid_format', message: 'Message incorrectly formatted.' } });
    s.send({ id: 4, type: 'make_coffee' });
    expect(await s.next(byId(4))).toEqual({ id: 4, type: 'result', success: false, error: { code: 'unknown_command', message: 'Unknown command.' } });
  });

  it('answers ping with pong', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 9, type: 'ping' });
    expect(await s.next(byId(9))).toEqual({ id: 9, type: 'pong' });
  });

  it('get_config reports version, time zone and location like hass.config.as_dict()', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 2, type: 'get_config' });
    const { result } = await s.next(byId(2));
    expect(result).toMatchObject({ version: DEMO_HA_VERSION, time_zone: 'Europe/Amsterdam', state: 'RUNNING', unit_system: { temperature: '°C' } });
    expect(typeof (result as { latitude: unknown }).latitude).toBe('number');
  });

  it('get_services lists domains with service descriptions, including notify.mobile_app_phone', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 2, type: 'get_services' });
    const result = (await s.next(byId(2))).result as Record<string, Record<string, { fields: object }>>;
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['light', 'switch', 'lock', 'cover', 'climate', 'notify', 'input_boolean', 'homeassistant']));
    expect(result.notify?.mobile_app_phone?.fields).toHaveProperty('message');
    expect(result.light?.turn_on?.fields).toHaveProperty('brightness');
  });
});

describe('events', () => {
  it('subscribe_events: result null first, then event frames with the subscription id; unsubscribe stops them', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 18, type: 'subscribe_events', event_type: 'state_changed' });
    expect(await s.next(byId(18))).toEqual({ id: 18, type: 'result', success: true, result: null });
    home.setState('binary_sensor.front_door', 'on');
    const f = await s.next(byId(18));
    expect(f.type).toBe('event');
    const event = f.event as { event_type: string; origin: string; time_fired: string; context: object; data: { entity_id: string; old_state: { state: string }; new_state: { state: string } } };
    expect(event).toMatchObject({ event_type: 'state_changed', origin: 'LOCAL', data: { entity_id: 'binary_sensor.front_door', old_state: { state: 'off' }, new_state: { state: 'on' } } });
    expect(event.time_fired).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(Object.keys(event.context).sort()).toEqual(['id', 'parent_id', 'user_id']);

    s.send({ id: 19, type: 'unsubscribe_events', subscription: 18 });
    expect(await s.next(byId(19))).toEqual({ id: 19, type: 'result', success: true, result: null });
    s.send({ id: 20, type: 'unsubscribe_events', subscription: 18 });
    expect(await s.next(byId(20))).toEqual({ id: 20, type: 'result', success: false, error: { code: 'not_found', message: 'Subscription not found.' } });
  });

  it('subscribe_events without event_type delivers every event type', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 2, type: 'subscribe_events' });
    await s.next(byId(2));
    home.fireEvent('doorbell_pressed', { button: 'front' });
    home.setState('sensor.bedroom_temperature', '20.5');
    const types = [(await s.next(byId(2))).event, (await s.next(byId(2))).event].map((e) => (e as { event_type: string }).event_type);
    expect(types).toEqual(['doorbell_pressed', 'state_changed']);
  });

  it('writing an identical state fires no state_changed (HA only updates last_reported)', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 2, type: 'subscribe_events', event_type: 'state_changed' });
    await s.next(byId(2));
    home.setState('lock.front_door', 'locked');
    home.setState('lock.front_door', 'unlocked');
    const f = await s.next(byId(2));
    expect((f.event as { data: { new_state: { state: string } } }).data.new_state.state).toBe('unlocked');
  });

  it('subscribe_entities: result, then the compressed full set, then c/a/r diffs', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 7, type: 'subscribe_entities' });
    expect(await s.next(byId(7))).toEqual({ id: 7, type: 'result', success: true, result: null });
    const init = (await s.next(byId(7))).event as { a: Record<string, { s: string; a: object; c: unknown; lc: number; lu?: number }> };
    expect(Object.keys(init)).toEqual(['a']);
    const door = init.a['binary_sensor.front_door'];
    expect(door).toMatchObject({ s: 'off', a: { device_class: 'door', friendly_name: 'Front Door' } });
    expect(typeof door.lc).toBe('number');
    expect(typeof door.c).toBe('string');

    home.setState('light.kitchen', 'on', { brightness: 99 });
    expect((await s.next(byId(7))).event).toEqual({ c: { 'light.kitchen': { '+': { s: 'on', lc: expect.any(Number) as number, c: expect.any(String) as string, a: { brightness: 99 } } } } });
    home.setState('light.kitchen', 'on', { brightness: 100 });
    const attrOnly = (await s.next(byId(7))).event as { c: Record<string, { '+': Record<string, unknown> }> };
    expect(Object.keys(attrOnly.c['light.kitchen']['+']).sort()).toEqual(['a', 'c', 'lu']);
    home.setState('light.kitchen', 'on', { effect: 'none' });
    home.setState('light.kitchen', 'on', { brightness: 100, color_mode: 'color_temp' }, { replaceAttributes: true });
    await s.next(byId(7));
    const removal = (await s.next(byId(7))).event as { c: Record<string, { '-'?: { a: string[] } }> };
    expect(removal.c['light.kitchen']['-']!.a).toContain('effect');

    home.setState('sensor.new_thing', '1', { friendly_name: 'New thing' });
    expect(Object.keys(((await s.next(byId(7))).event as { a: object }).a)).toEqual(['sensor.new_thing']);
    home.removeState('sensor.new_thing');
    expect((await s.next(byId(7))).event).toEqual({ r: ['sensor.new_thing'] });
  });

  it('subscribe_entities with entity_ids only sends those entities', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 2, type: 'subscribe_entities', entity_ids: ['lock.front_door'] });
    await s.next(byId(2));
    expect(Object.keys(((await s.next(byId(2))).event as { a: object }).a)).toEqual(['lock.front_door']);
    home.setState('light.kitchen', 'on');
    home.setState('lock.front_door', 'unlocked');
    expect(Object.keys(((await s.next(byId(2))).event as { c: object }).c)).toEqual(['lock.front_door']);
  });

  it('coalesces frames into one JSON array once the client announced coalesce_messages', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
    await s.next(byId(1));
    s.send([{ id: 2, type: 'ping' }, { id: 3, type: 'ping' }]);
    await s.next(byId(3));
    expect(s.texts.at(-1)).toBe('[{"id":2,"type":"pong"},{"id":3,"type":"pong"}]');
  });
});

describe('call_service', () => {
  it('acts, fires state_changed before the result, and returns the context', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 2, type: 'subscribe_events', event_type: 'state_changed' });
    await s.next(byId(2));
    s.send({ id: 3, type: 'call_service', domain: 'light', service: 'turn_on', service_data: { brightness: 120 }, target: { entity_id: 'light.bedroom' } });
    const first = await s.next((f) => f.id === 2 || f.id === 3);
    expect(first.type).toBe('event');
    const result = await s.next(byId(3));
    expect(result).toMatchObject({ type: 'result', success: true, result: { context: { id: expect.any(String) as string, parent_id: null } } });
    expect((result.result as object)).not.toHaveProperty('response');
    expect(home.getState('light.bedroom')).toMatchObject({ state: 'on', attributes: { brightness: 120 } });
    expect(home.serviceCalls().at(-1)).toMatchObject({ domain: 'light', service: 'turn_on', entityIds: ['light.bedroom'], data: { brightness: 120 } });
  });

  it('answers an unknown service with not_found, bad data with invalid_format, and return_response on a plain service with service_validation_error', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 2, type: 'call_service', domain: 'light', service: 'explode' });
    expect(await s.next(byId(2))).toMatchObject({ success: false, error: { code: 'not_found', message: 'Service light.explode not found.' } });
    s.send({ id: 3, type: 'call_service', domain: 'light', service: 'turn_on', service_data: { brightness: 300 }, target: { entity_id: 'light.kitchen' } });
    expect(await s.next(byId(3))).toMatchObject({ success: false, error: { code: 'invalid_format', message: "value must be at most 255 for dictionary value @ data['brightness']" } });
    s.send({ id: 4, type: 'call_service', domain: 'light', service: 'turn_on', target: { entity_id: 'light.kitchen' }, return_response: true });
    expect(await s.next(byId(4))).toMatchObject({ success: false, error: { code: 'service_validation_error' } });
    s.send({ id: 5, type: 'call_service', service: 'turn_on' });
    expect(await s.next(byId(5))).toMatchObject({ success: false, error: { code: 'invalid_format', message: "required key not provided @ data['domain']" } });
  });
});

describe('registries', () => {
  it('lists areas with floors, floors, devices, entities and labels in HA 2025 shapes', async () => {
    const s = track(await authedSocket(home));
    const list = async (id: number, type: string) => {
      s.send({ id, type });
      return (await s.next(byId(id))).result as Record<string, unknown>[];
    };
    const areas = await list(2, 'config/area_registry/list');
    expect(areas.map((a) => a.area_id)).toEqual(['living_room', 'kitchen', 'hallway', 'garage', 'bedroom']);
    expect(areas.find((a) => a.area_id === 'bedroom')).toMatchObject({ name: 'Bedroom', floor_id: 'first_floor', aliases: [], labels: [] });
    expect((await list(3, 'config/floor_registry/list')).map((f) => [f.floor_id, f.level])).toEqual([['ground_floor', 0], ['first_floor', 1]]);
    const devices = await list(4, 'config/device_registry/list');
    const lock = devices.find((d) => d.name === 'Front Door Lock')!;
    expect(lock).toMatchObject({ area_id: 'hallway', manufacturer: 'Nuki', id: expect.stringMatching(/^[0-9a-f]{32}$/) as string });
    const entities = await list(5, 'config/entity_registry/list');
    expect(entities.find((e) => e.entity_id === 'lock.front_door')).toMatchObject({ device_id: lock.id, platform: 'nuki', labels: ['security'] });
    expect((await list(6, 'config/label_registry/list')).map((l) => l.label_id)).toEqual(['security', 'lighting']);
  });

  it('fires entity_registry_updated when an entry changes', async () => {
    const s = track(await authedSocket(home));
    s.send({ id: 2, type: 'subscribe_events', event_type: 'entity_registry_updated' });
    await s.next(byId(2));
    home.core.registries.update('entities', 'light.floor_lamp', { area_id: 'bedroom' });
    expect(((await s.next(byId(2))).event as { data: object }).data).toEqual({ action: 'update', entity_id: 'light.floor_lamp', changes: { area_id: null } });
  });
});
