import type { HassEntity } from 'home-assistant-js-websocket';
import { describe, expect, it } from 'vitest';
import { checkConditions } from '../../../../server/src/agents/ha/conditions.ts';
import type { HaCondition } from '../../../../server/src/ha/action.ts';

const states = new Map<string, HassEntity>(
  [
    { entity_id: 'sun.sun', state: 'below_horizon', attributes: { elevation: -12.5 } },
    { entity_id: 'sensor.temp', state: '21.5', attributes: { unit_of_measurement: '°C' } },
    { entity_id: 'light.lamp', state: 'on', attributes: { brightness: 180, color: { mode: 'ct' } } },
  ].map((s) => [s.entity_id, { ...s, context: { id: 'c', parent_id: null, user_id: null }, last_changed: '', last_updated: '' }]),
);
const stateOf = (id: string) => states.get(id);
const cond = (c: Partial<HaCondition> & { entity_id: string; value: HaCondition['value'] }): HaCondition => ({ attribute: 'state', operator: 'eq', ...c });

describe('rule conditions on live state', () => {
  it('hold when every condition holds (AND)', () => {
    expect(checkConditions([cond({ entity_id: 'sun.sun', value: 'below_horizon' }), cond({ entity_id: 'light.lamp', value: 'on' })], stateOf)).toEqual({ ok: true });
    expect(checkConditions([], stateOf)).toEqual({ ok: true });
  });

  it('fail on the first that does not, saying what the state is', () => {
    const r = checkConditions([cond({ entity_id: 'sun.sun', value: 'below_horizon' }), cond({ entity_id: 'light.lamp', value: 'off' })], stateOf);
    expect(r).toEqual({ ok: false, reason: 'light.lamp is "on", the rule wants eq "off"' });
  });

  it('compare attributes (dotted too) and numbers, text equal to text', () => {
    expect(checkConditions([cond({ entity_id: 'light.lamp', attribute: 'brightness', operator: 'gte', value: 150 })], stateOf).ok).toBe(true);
    expect(checkConditions([cond({ entity_id: 'light.lamp', attribute: 'color.mode', value: 'ct' })], stateOf).ok).toBe(true);
    expect(checkConditions([cond({ entity_id: 'sun.sun', attribute: 'elevation', operator: 'lt', value: -6 })], stateOf).ok).toBe(true);
    expect(checkConditions([cond({ entity_id: 'sensor.temp', operator: 'gt', value: 21 })], stateOf).ok).toBe(true);
    expect(checkConditions([cond({ entity_id: 'sensor.temp', operator: 'lte', value: 21 })], stateOf).ok).toBe(false);
    expect(checkConditions([cond({ entity_id: 'sensor.temp', value: 21.5 })], stateOf).ok).toBe(true);
    expect(checkConditions([cond({ entity_id: 'sensor.temp', operator: 'ne', value: '21.5' })], stateOf).ok).toBe(false);
  });

  it('never hold for an entity HA does not have, or a missing attribute', () => {
    expect(checkConditions([cond({ entity_id: 'light.nowhere', value: 'on' })], stateOf)).toEqual({ ok: false, reason: 'light.nowhere does not exist in Home Assistant' });
    expect(checkConditions([cond({ entity_id: 'light.lamp', attribute: 'hue', operator: 'gt', value: 1 })], stateOf)).toEqual({ ok: false, reason: 'light.lamp.hue is missing, the rule wants gt 1' });
  });
});
