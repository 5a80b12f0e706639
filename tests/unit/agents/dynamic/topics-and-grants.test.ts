// Where agent topics go (rooted under the system root, control topics refused, typed topics with
// their QoS) and which HA calls are sensitive (locks, alarms, garage/door/gate covers, reached
// directly, through generic services or through targets that are not entity lists).
import type { HassEntity } from 'home-assistant-js-websocket';
import { describe, expect, test } from 'vitest';
import { publishTarget, relativeTopic, subscribeFilter } from '../../../../server/src/agents/dynamic/agent-topics.ts';
import { isGrant, sensitiveTargets, ungranted } from '../../../../server/src/ha/sensitive-calls.ts';

const self = { id: 'energy', name: 'energy' };

describe('agent topics', () => {
  test('are relative to the system root, with the QoS of the typed map where they land on it', () => {
    expect(publishTarget('wactorz', 'custom/energy/daily', self)).toEqual({ topic: 'wactorz/custom/energy/daily', qos: 0, key: undefined });
    expect(publishTarget('wactorz', 'custom/triggers/door', self)).toEqual({ topic: 'wactorz/custom/triggers/door', qos: 1, key: 'customTrigger' });
    expect(publishTarget('home/wz', 'sensors/kitchen', self).topic).toBe('home/wz/sensors/kitchen');
    expect(publishTarget('wactorz', 'agents/energy/data/today', self).topic).toBe('wactorz/agents/energy/data/today');
    expect(subscribeFilter('wactorz', 'ha/state_changes/sensor/+')).toBe('wactorz/ha/state_changes/sensor/+');
    expect(relativeTopic('wactorz', 'wactorz/custom/x')).toBe('custom/x');
  });

  test('control topics, HA bridge topics, other agents\' data and broker-absolute names are refused', () => {
    for (const t of ['agents/other/commands', 'agents/other/data/x', 'agents/energy/manifest', 'nodes/rpi/spawn', 'system/health', 'ha/state_changes/lock/lock.front_door']) {
      expect(() => publishTarget('wactorz', t, self), t).toThrow(/system topic/);
    }
    expect(() => publishTarget('wactorz', '/zigbee2mqtt/lamp/set', self)).toThrow('must not start with "/" or "$"');
    expect(() => publishTarget('wactorz', '$SYS/x', self)).toThrow('must not start');
    expect(() => publishTarget('wactorz', 'custom/+/x', self)).toThrow('not a valid topic name');
    expect(() => subscribeFilter('wactorz', 'a/#/b')).toThrow('not a valid topic filter');
  });
});

const entity = (entity_id: string, attributes: Record<string, unknown> = {}): HassEntity => ({ entity_id, state: 'x', attributes, last_changed: '', last_updated: '', context: { id: '', user_id: null, parent_id: null } });
const house = [entity('lock.front_door'), entity('cover.garage_door', { device_class: 'garage' }), entity('cover.blinds', { device_class: 'blind' }), entity('light.kitchen')];
const states = () => house;
const stateOf = (id: string) => house.find((s) => s.entity_id === id);
const targets = (domain: string, service: string, data?: Record<string, unknown>) => sensitiveTargets({ domain, service, data }, states, stateOf).sort();

describe('sensitive Home Assistant calls', () => {
  test('locks, alarms and garage covers, directly or through homeassistant.*', () => {
    expect(targets('lock', 'unlock', { entity_id: 'lock.front_door' })).toEqual(['lock.front_door']);
    expect(targets('alarm_control_panel', 'alarm_disarm')).toEqual(['alarm_control_panel']);
    expect(targets('cover', 'open_cover', { entity_id: 'cover.garage_door' })).toEqual(['cover.garage_door']);
    expect(targets('homeassistant', 'turn_off', { entity_id: ['light.kitchen', 'lock.front_door'] })).toEqual(['lock.front_door']);
    expect(targets('cover', 'open_cover', { entity_id: 'cover.unknown_one' })).toEqual(['cover.unknown_one']);
  });

  test('entity ids in another case count too (Home Assistant lowercases them before acting)', () => {
    expect(targets('lock', 'unlock', { entity_id: 'LOCK.Front_Door' })).toEqual(['lock.front_door']);
    expect(targets('cover', 'open_cover', { entity_id: ['Cover.Garage_Door'] })).toEqual(['cover.garage_door']);
    expect(targets('homeassistant', 'turn_off', { entity_id: 'Lock.front_door' })).toEqual(['lock.front_door']);
    expect(targets('cover', 'open_cover', { entity_id: 'ALL' })).toEqual(['cover.garage_door']);
  });

  test('covers reached by area, device, "all" or no target count when a garage cover exists', () => {
    expect(targets('cover', 'open_cover', { area_id: 'garage' })).toEqual(['cover.garage_door']);
    expect(targets('cover', 'open_cover', { entity_id: 'all' })).toEqual(['cover.garage_door']);
    expect(targets('cover', 'open_cover')).toEqual(['cover.garage_door']);
    expect(targets('homeassistant', 'turn_on', { area_id: 'hallway' })).toEqual(['cover.garage_door', 'lock.front_door']);
  });

  test('ordinary calls are not sensitive', () => {
    expect(targets('light', 'turn_on', { entity_id: 'light.kitchen' })).toEqual([]);
    expect(targets('cover', 'close_cover', { entity_id: 'cover.blinds' })).toEqual([]);
    expect(targets('notify', 'mobile_app_phone', { message: 'hi' })).toEqual([]);
  });

  test('grants cover everything, a domain or one entity', () => {
    expect(ungranted(['lock.front_door', 'cover.garage_door'], ['ha:sensitive'])).toEqual([]);
    expect(ungranted(['lock.front_door', 'cover.garage_door'], ['ha:sensitive:lock'])).toEqual(['cover.garage_door']);
    expect(ungranted(['lock.front_door', 'lock.back_door'], ['ha:sensitive:lock.front_door'])).toEqual(['lock.back_door']);
    expect(['ha:sensitive', 'ha:sensitive:lock', 'ha:sensitive:cover.garage_door'].every(isGrant)).toBe(true);
    expect(['trusted', 'ha:sensitive:', 'ha:sensitive:Lock.X', 'http'].some(isGrant)).toBe(false);
  });
});
