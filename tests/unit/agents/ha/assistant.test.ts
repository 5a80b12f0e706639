import { describe, expect, it } from 'vitest';
import { checkAutomation, referencesOf } from '../../../../server/src/agents/ha/assistant/automation-check.ts';
import { chooseFromAnswer, pickAutomation } from '../../../../server/src/agents/ha/assistant/fuzzy.ts';
import { intentByWords, readIntent } from '../../../../server/src/agents/ha/assistant/intent.ts';
import { listAreas, listAutomations, listEntities } from '../../../../server/src/agents/ha/assistant/listings.ts';
import { compactMap, CONTROL_DOMAINS } from '../../../../server/src/agents/ha/compact-map.ts';
import { demoView } from './demo-snapshot.ts';

const autos = [
  { id: '1', alias: 'Morning lights', entity_id: 'automation.morning_lights' },
  { id: '2', alias: 'Evening lights', entity_id: 'automation.evening_lights' },
  { id: '3', alias: 'Lights', entity_id: 'automation.lights' },
  { id: '4', alias: 'Garage door alert', entity_id: 'automation.garage_door_alert' },
];

describe('finding an automation by name', () => {
  it('takes a clear winner, forgiving plurals and a typo', () => {
    expect(pickAutomation('delete the morning lights automation', autos)).toEqual({ kind: 'unique', item: autos[0] });
    expect(pickAutomation('remove the garage door alerts', autos)).toEqual({ kind: 'unique', item: autos[3] });
    expect(pickAutomation('remove the garrage door alert', autos)).toEqual({ kind: 'unique', item: autos[3] });
    expect(pickAutomation('turn off automation.evening_lights', autos)).toEqual({ kind: 'unique', item: autos[1] });
  });

  it('asks back when several fit about as well', () => {
    const r = pickAutomation('delete the lights automation', [autos[0], autos[1], autos[3]]);
    expect(r).toEqual({ kind: 'ambiguous', candidates: [autos[0], autos[1]] });
    // An automation named just "Lights" is what "the light automation" says, though.
    expect(pickAutomation('delete the light automation', autos)).toEqual({ kind: 'unique', item: autos[2] });
  });

  it('finds nothing for unrelated words', () => {
    expect(pickAutomation('delete the sprinkler schedule', autos)).toEqual({ kind: 'none' });
  });

  it('reads the answer to "which one?" by number or name', () => {
    const candidates = autos.slice(0, 2);
    expect(chooseFromAnswer('2', candidates)).toBe(candidates[1]);
    expect(chooseFromAnswer('number 1 please', candidates)).toBe(candidates[0]);
    expect(chooseFromAnswer('the evening one', candidates)).toBe(candidates[1]);
    expect(chooseFromAnswer('7', candidates)).toBeUndefined();
    expect(chooseFromAnswer('what?', candidates)).toBeUndefined();
  });
});

describe('checking an automation before it is saved', () => {
  const home = demoView();
  const valid = {
    alias: 'Door light',
    triggers: [{ trigger: 'state', entity_id: 'binary_sensor.front_door', to: 'on' }],
    conditions: [{ condition: 'state', entity_id: 'sun.sun', state: 'below_horizon' }],
    actions: [{ action: 'light.turn_on', target: { entity_id: ['light.hallway'] } }, { service: 'notify.mobile_app_phone', data: { message: 'Door' } }],
  };

  it('collects every entity and service, in both spellings, skipping templates', () => {
    expect(referencesOf({ ...valid, extra: { entity_id: '{{ states.x }}' } })).toEqual({
      entities: ['binary_sensor.front_door', 'sun.sun', 'light.hallway'],
      services: ['light.turn_on', 'notify.mobile_app_phone'],
    });
  });

  it('accepts a valid automation and names every unknown entity or service', () => {
    expect(checkAutomation(home, valid)).toEqual([]);
    const bad = { ...valid, actions: [{ action: 'light.blink', target: { entity_id: 'light.attic' } }] };
    expect(checkAutomation(home, bad)).toEqual(['Home Assistant has no entity light.attic', 'Home Assistant has no service light.blink']);
  });

  it('requires a name, a trigger and an action', () => {
    expect(checkAutomation(home, { triggers: [], actions: [] })).toEqual(['it needs an alias (its name)', 'it needs at least one trigger', 'it needs at least one action']);
    expect(checkAutomation(home, ['not', 'an', 'object'])).toEqual(['an automation must be a JSON object']);
  });
});

describe('intents', () => {
  it('reads the label from a model\'s answer', () => {
    expect(readIntent('list_areas')).toBe('list_areas');
    expect(readIntent('Label: delete_automation.')).toBe('delete_automation');
    expect(readIntent('I think')).toBeUndefined();
  });

  it('understands listing requests by their words when there is no LLM', () => {
    expect(intentByWords('list my automations')).toBe('list_automations');
    expect(intentByWords('which rooms do I have?')).toBe('list_areas');
    expect(intentByWords('show all devices')).toBe('list_devices');
    expect(intentByWords('create an automation')).toBeUndefined();
  });
});

describe('what the LLM and the planner are shown', () => {
  const home = demoView();

  it('the compact map lists controllable entities by area with their services, not the state dump', () => {
    const text = compactMap(home, { domains: CONTROL_DOMAINS, withServices: true });
    expect(text).toContain('Hallway (Ground floor):\n');
    expect(text).toContain('  light.hallway "Hallway Light" off');
    expect(text).toContain('  lock.front_door "Front Door Lock" locked');
    expect(text).toMatch(/\n {2}light: .*turn_on/);
    expect(text).not.toContain('sensor.living_room_temperature');
    expect(text).not.toContain('sensor.phone_battery_level');
    expect(text.length).toBeLessThan(JSON.stringify(home.states()).length / 3);
  });

  it('listings carry data for the planner and text for the chat', () => {
    const areas = listAreas(home);
    expect(areas.data.find((a) => a.area_id === 'hallway')).toMatchObject({ name: 'Hallway', floor: 'Ground floor' });
    expect(areas.text).toContain('- Hallway (Ground floor):');
    expect(listEntities(home, { domain: 'light', area: 'kitchen' }).data.map((e) => e.entity_id)).toEqual(['light.kitchen']);
    const automations = listAutomations(home).data;
    expect(automations).toHaveLength(1);
    expect(automations[0]?.entity_id).toMatch(/^automation\./);
    expect(automations[0]?.id).not.toBe('');
  });
});
