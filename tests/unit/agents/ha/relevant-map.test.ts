// The home map main's one-call prompt carries (issue 15): only what the request names.
import { describe, expect, it } from 'vitest';
import { relevantMap } from '../../../../server/src/agents/ha/relevant-map.ts';
import { demoView } from './demo-snapshot.ts';

describe('relevantMap', () => {
  const home = demoView();

  it('keeps the named area and domain: the hallway light, not the kitchen or the hallway sensors', () => {
    const { map, entities } = relevantMap(home, 'turn on the hallway light');
    expect(map).toContain('light.hallway "Hallway Light" off');
    expect(map).not.toContain('light.kitchen');
    expect(map).toMatch(/\n {2}light: .*turn_on/);
    expect(entities).toBeGreaterThan(0);
  });

  it('answers a state question with the sensor it names, state and unit included', () => {
    const { map } = relevantMap(home, 'what is the living room temperature?');
    expect(map).toMatch(/sensor\.living_room_temperature ".*" [\d.]+ .*unit_of_measurement=°C/);
    expect(map).not.toContain('light.hallway');
  });

  it('shows every entity of a named domain when no area or name matches ("all the lights")', () => {
    const { map } = relevantMap(home, 'turn off all the lights');
    expect(map).toContain('light.hallway');
    expect(map).toContain('light.kitchen');
    expect(map).not.toContain('lock.front_door');
  });

  it('gives no map for chit-chat, only the names of the areas', () => {
    const r = relevantMap(home, 'tell me a joke');
    expect(r.map).toBe('');
    expect(r.entities).toBe(0);
    expect(r.areas).toContain('Hallway');
  });
});
