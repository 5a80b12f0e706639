import { describe, expect, it } from 'vitest';
import { matchesFilter as matchesDetectionFilter } from '../../../../server/src/agents/ha/filter.ts';
import type { DetectionFilter } from '../../../../server/src/agents/spawn-config/detection-filter.ts';
import { validateSpawnConfig } from '../../../../server/src/agents/spawn-config/validate.ts';

const base = { name: 'person-light', type: 'ha_actuator', mqtt_topics: ['custom/detections/living-room'] };

function accepted(input: Record<string, unknown>) {
  const r = validateSpawnConfig({ ...base, ...input });
  if (!r.ok) throw new Error(r.error);
  if (r.config.type !== 'ha_actuator') throw new Error('not an actuator');
  return r.config;
}
function errorOf(input: Record<string, unknown>): string {
  const r = validateSpawnConfig({ ...base, ...input });
  if (r.ok) throw new Error('expected a rejection');
  return r.error;
}

describe('ha_actuator config', () => {
  it('reads the seed ActuatorConfig', () => {
    const config = accepted({
      automation_id: 'person-light',
      detection_filter: { detected: true },
      cooldown_seconds: 10.0,
      conditions: [{ entity_id: 'sun.sun', attribute: 'state', operator: 'eq', value: 'below_horizon' }],
      actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.living_room' }],
    });
    expect(config).toMatchObject({
      automation_id: 'person-light',
      mqtt_topics: ['custom/detections/living-room'],
      detection_filter: { detected: true },
      cooldown_seconds: 10,
      conditions: [{ entity_id: 'sun.sun', attribute: 'state', operator: 'eq', value: 'below_horizon' }],
      actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.living_room'] }, service_data: {} }],
    });
  });

  it('defaults automation_id to the name, cooldown to 10 s, conditions to none', () => {
    expect(accepted({ actions: [{ service: 'light.turn_on' }] })).toMatchObject({ automation_id: 'person-light', cooldown_seconds: 10, conditions: [] });
  });

  it('normalises the forms models write for actions', () => {
    const { actions } = accepted({
      action: { action: 'Light.Turn_On', data: { brightness: 200 }, target: { entity_id: 'light.A', area_id: 'kitchen' }, entity_id: ['light.b'] },
    });
    expect(actions).toEqual([
      { domain: 'light', service: 'turn_on', target: { entity_id: ['light.a', 'light.b'], area_id: ['kitchen'] }, service_data: { brightness: 200 } },
    ]);
    expect(accepted({ actions: [{ service: 'turn_off', entity_id: 'switch.fan' }] }).actions[0]).toMatchObject({ domain: 'switch', service: 'turn_off' });
  });

  it('reads condition shorthands', () => {
    const { conditions } = accepted({
      actions: [{ service: 'light.turn_on' }],
      conditions: [{ entity_id: 'light.lamp', state: 'on' }, { entity_id: 'sensor.t', op: '>=', value: 20 }],
    });
    expect(conditions).toEqual([
      { entity_id: 'light.lamp', attribute: 'state', operator: 'eq', value: 'on' },
      { entity_id: 'sensor.t', attribute: 'state', operator: 'gte', value: 20 },
    ]);
  });

  it('uses subscribes as trigger topics when mqtt_topics is missing', () => {
    const r = validateSpawnConfig({ name: 'a', type: 'ha_actuator', subscribes: 'schedule/x/fired', actions: [{ service: 'light.turn_off' }] });
    expect(r).toMatchObject({ ok: true, config: { mqtt_topics: ['schedule/x/fired'] }, warnings: ['ha_actuator: used "subscribes" as mqtt_topics'] });
  });

  it('names what is wrong, field by field', () => {
    expect(errorOf({ actions: [] })).toBe('spawn "person-light" rejected: actions: needs at least one Home Assistant service call (got [])');
    expect(errorOf({ mqtt_topics: 'publishes', actions: [{ service: 'light.turn_on' }] })).toContain('mqtt_topics: needs at least one topic');
    expect(errorOf({ actions: [{ domain: 'light' }] })).toContain('actions[0].service: is required');
    expect(errorOf({ actions: [{ service: 'light.turn_on', entity_id: 'kitchen light' }] })).toContain('actions[0].target.entity_id[0]: expected an entity id like "light.living_room"');
    expect(errorOf({ actions: [{ service: 'light.turn_on' }], conditions: [{ entity_id: 'sun.sun', operator: 'about', value: 1 }] })).toContain('conditions[0].operator');
    expect(errorOf({ actions: [{ service: 'light.turn_on' }], cooldown_seconds: -1 })).toContain('cooldown_seconds');
    expect(errorOf({ actions: [{ service: 'light.turn_on' }], detection_filter: { score: { near: 1 } } })).toContain('detection_filter.score');
  });
});

describe('detection_filter', () => {
  it('normalises symbol operators and numeric strings', () => {
    expect(accepted({ actions: [{ service: 'light.turn_on' }], detection_filter: { confidence: { '>=': '0.7' }, label: { '!=': 'cat' } } }).detection_filter).toEqual({
      confidence: { gte: 0.7 },
      label: { ne: 'cat' },
    });
  });

  it('matches literals, operators and dotted paths, all of them (AND)', () => {
    const filter: DetectionFilter = { detected: true, 'box.score': { gte: 0.7, lt: 1 }, 'new_state.state': { ne: 'unavailable' } };
    expect(matchesDetectionFilter(filter, { detected: true, box: { score: 0.8 }, new_state: { state: 'on' } })).toBe(true);
    expect(matchesDetectionFilter(filter, { detected: true, box: { score: 0.5 }, new_state: { state: 'on' } })).toBe(false);
    expect(matchesDetectionFilter(filter, { detected: false, box: { score: 0.9 }, new_state: { state: 'on' } })).toBe(false);
    expect(matchesDetectionFilter(filter, { detected: true, box: { score: 0.9 }, new_state: { state: 'unavailable' } })).toBe(false);
    expect(matchesDetectionFilter(filter, { detected: true })).toBe(false);
  });

  it('compares HA string states numerically, and literals with strict types', () => {
    expect(matchesDetectionFilter({ temp: { gt: 28 } }, { temp: '28.5' })).toBe(true);
    expect(matchesDetectionFilter({ temp: { gt: 28 } }, { temp: 'unknown' })).toBe(false);
    expect(matchesDetectionFilter({ triggered: true }, { triggered: 'true' })).toBe(false);
    expect(matchesDetectionFilter({ triggered: true }, { triggered: true })).toBe(true);
  });

  it('matches everything when absent, null or empty (the scheduled-trigger pattern)', () => {
    expect(matchesDetectionFilter(undefined, { any: 1 })).toBe(true);
    expect(matchesDetectionFilter(null, 'x')).toBe(true);
    expect(matchesDetectionFilter({}, null)).toBe(true);
    expect(accepted({ actions: [{ service: 'light.turn_on' }], detection_filter: null }).detection_filter).toBeNull();
  });
});
