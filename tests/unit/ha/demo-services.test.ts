// What the demo home's services do to the house (no network): the effects a user would see in HA,
// target resolution by entity, device, area, floor and label, and HA's errors for bad calls.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { DemoHomeCore } from '../../../server/src/ha/demo/core.ts';
import { demoId } from '../../../server/src/ha/demo/home-data.ts';
import { CommandError } from '../../../server/src/ha/demo/protocol.ts';
import type { ServiceCallRequest } from '../../../server/src/ha/demo/services.ts';

let clock: ManualClock;
let core: DemoHomeCore;
beforeEach(() => {
  clock = new ManualClock(Date.parse('2025-06-01T12:00:00Z'));
  core = new DemoHomeCore({ clock });
});

const call = (domain: string, service: string, rest: Partial<ServiceCallRequest> = {}) => core.services.call({ domain, service, context: core.newContext(), ...rest });
const state = (id: string) => core.states.get(id)?.state;
const attr = (id: string, key: string): unknown => core.states.get(id)?.attributes[key];
const failure = (fn: () => unknown): CommandError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('expected a CommandError');
};

describe('lights', () => {
  it('turn_on with brightness_pct, brightness_step and toggle; brightness 0 turns off', () => {
    call('light', 'turn_on', { target: { entity_id: 'light.kitchen' }, serviceData: { brightness_pct: 100 } });
    expect([state('light.kitchen'), attr('light.kitchen', 'brightness')]).toEqual(['on', 255]);
    call('light', 'turn_on', { serviceData: { entity_id: 'light.kitchen', brightness_step: -55 } });
    expect(attr('light.kitchen', 'brightness')).toBe(200);
    call('light', 'turn_on', { target: { entity_id: 'light.kitchen' }, serviceData: { brightness: 0 } });
    expect([state('light.kitchen'), attr('light.kitchen', 'brightness')]).toEqual(['off', null]);
    call('light', 'toggle', { target: { entity_id: 'light.kitchen' } });
    expect([state('light.kitchen'), attr('light.kitchen', 'brightness')]).toEqual(['on', 255]);
  });

  it('keeps last_changed on an attribute-only change and moves last_updated', async () => {
    call('light', 'turn_on', { target: { entity_id: 'light.bedroom' } });
    const first = core.states.get('light.bedroom')!;
    await clock.advance(5000);
    call('light', 'turn_on', { target: { entity_id: 'light.bedroom' }, serviceData: { brightness: 10 } });
    const second = core.states.get('light.bedroom')!;
    expect(second.last_changed).toBe(first.last_changed);
    expect(Date.parse(second.last_updated) - Date.parse(first.last_updated)).toBe(5000);
  });

  it('stamps states with microseconds, so writes within one millisecond stay ordered', () => {
    call('light', 'turn_on', { target: { entity_id: 'light.bedroom' }, serviceData: { brightness: 10 } });
    const a = core.states.get('light.bedroom')!.last_updated;
    call('light', 'turn_on', { target: { entity_id: 'light.bedroom' }, serviceData: { brightness: 20 } });
    const b = core.states.get('light.bedroom')!.last_updated;
    expect(a).toMatch(/^2025-06-01T12:00:00\.\d{6}\+00:00$/);
    expect(b > a).toBe(true);
  });

  it('rejects values out of range and unknown fields like voluptuous', () => {
    expect(failure(() => call('light', 'turn_on', { target: { entity_id: 'light.kitchen' }, serviceData: { brightness_pct: 120 } })).message).toBe("value must be at most 100 for dictionary value @ data['brightness_pct']");
    expect(failure(() => call('light', 'turn_on', { target: { entity_id: 'light.kitchen' }, serviceData: { colour: 'red' } })).message).toBe("extra keys not allowed @ data['colour']");
  });
});

describe('targets', () => {
  const acted = () => core.services.recorded().at(-1)!.entityIds.sort();

  it('resolves area, floor, label, device and "all" to the entities of the service domain', () => {
    call('light', 'turn_on', { target: { area_id: 'living_room' } });
    expect(acted()).toEqual(['light.floor_lamp', 'light.living_room']);
    call('light', 'turn_off', { target: { floor_id: 'first_floor' } });
    expect(acted()).toEqual(['light.bedroom']);
    call('light', 'turn_off', { target: { label_id: 'lighting' } });
    expect(acted()).toEqual(['light.bedroom', 'light.floor_lamp', 'light.hallway', 'light.kitchen', 'light.living_room']);
    call('switch', 'turn_on', { target: { device_id: demoId('device:coffee_maker_plug') } });
    expect(acted()).toEqual(['switch.coffee_maker']);
    call('switch', 'turn_off', { target: { entity_id: 'all' } });
    expect(acted()).toEqual(['switch.coffee_maker', 'switch.tv']);
  });

  it('homeassistant.turn_off reaches every domain; missing entities are recorded, not fatal (HA only logs them)', () => {
    call('homeassistant', 'turn_off', { target: { entity_id: ['light.living_room', 'switch.tv', 'light.attic'] } });
    expect([state('light.living_room'), state('switch.tv')]).toEqual(['off', 'off']);
    expect(core.services.recorded().at(-1)).toMatchObject({ entityIds: ['light.living_room', 'switch.tv'], missing: ['light.attic'] });
  });

  it('fires call_service on the bus with the call, as HA does', () => {
    const seen: unknown[] = [];
    core.bus.listen('call_service', (e) => seen.push(e.data));
    call('switch', 'turn_on', { target: { entity_id: 'switch.coffee_maker' } });
    expect(seen).toEqual([{ domain: 'switch', service: 'turn_on', service_data: { entity_id: 'switch.coffee_maker' } }]);
  });
});

describe('other domains', () => {
  it('locks, covers, input_boolean and automations change state', () => {
    call('lock', 'unlock', { target: { entity_id: 'lock.front_door' } });
    expect(state('lock.front_door')).toBe('unlocked');
    call('cover', 'set_cover_position', { target: { entity_id: 'cover.garage_door' }, serviceData: { position: 40 } });
    expect([state('cover.garage_door'), attr('cover.garage_door', 'current_position')]).toEqual(['open', 40]);
    call('cover', 'close_cover', { target: { entity_id: 'cover.garage_door' } });
    expect(state('cover.garage_door')).toBe('closed');
    call('input_boolean', 'toggle', { target: { entity_id: 'input_boolean.guest_mode' } });
    expect(state('input_boolean.guest_mode')).toBe('on');
    call('automation', 'turn_off', { target: { entity_id: 'automation.hallway_light_on_motion' } });
    expect(state('automation.hallway_light_on_motion')).toBe('off');
  });

  it('climate: set_temperature within range, hvac modes the device has, HA errors otherwise', () => {
    call('climate', 'set_temperature', { target: { entity_id: 'climate.living_room' }, serviceData: { temperature: 19.5, hvac_mode: 'auto' } });
    expect([state('climate.living_room'), attr('climate.living_room', 'temperature')]).toEqual(['auto', 19.5]);
    const range = failure(() => call('climate', 'set_temperature', { target: { entity_id: 'climate.living_room' }, serviceData: { temperature: 3 } }));
    expect([range.code, range.extra.translation_key]).toEqual(['service_validation_error', 'temp_out_of_range']);
    const mode = failure(() => call('climate', 'set_hvac_mode', { target: { entity_id: 'climate.living_room' }, serviceData: { hvac_mode: 'cool' } }));
    expect(mode.message).toBe('HVAC mode cool is not valid. Valid HVAC modes are: off, heat, auto.');
    call('climate', 'turn_off', { target: { entity_id: 'climate.living_room' } });
    expect(state('climate.living_room')).toBe('off');
  });

  it('notify records the message and requires one', () => {
    call('notify', 'mobile_app_phone', { serviceData: { message: 'Garage left open', title: 'Garage', data: { tag: 'garage' } } });
    expect(core.services.notifications()).toEqual([{ service: 'notify.mobile_app_phone', message: 'Garage left open', title: 'Garage', data: { tag: 'garage' }, at: clock.now() }]);
    expect(failure(() => call('notify', 'mobile_app_phone', { serviceData: { title: 'No message' } })).message).toBe("required key not provided @ data['message']");
  });

  it('answers an unknown service with not_found, as HA does', () => {
    expect(failure(() => call('vacuum', 'start')).code).toBe('not_found');
  });
});
