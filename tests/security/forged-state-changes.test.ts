// Issue 12, finding 2: "Forged HA state changes fire rules". Publishing on
// wactorz/ha/state_changes/... triggered an actuator rule that unlocked the front door while HA
// still reported it closed. Now HA state changes reach rules in-process from the state bridge;
// the MQTT topics are only an outbound mirror, and what arrives on them from the broker is not
// believed. Rules on other MQTT topics act with the trust of broker data: on sensitive devices
// only with the owner's grant for that rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HaActuatorAgent } from '../../server/src/agents/ha/actuator/actuator-agent.ts';
import { eventually } from '../helpers/eventually.ts';
import { stateChangePayload } from '../helpers/ha-state-change.ts';
import { spawnConfig, startWorld, type World } from './world.ts';

const opened = (entity: string, state: string) => JSON.stringify(stateChangePayload(entity, state, '2026-12-06T10:42:00Z', 'forged'));

describe('finding 2: HA state changes reach rules in-process only', () => {
  let w: World;
  const mirrored: string[] = [];
  beforeAll(async () => {
    w = await startWorld();
    // The owner's rules: a sensitive one on an HA state change, and a harmless one on a device's topic.
    await w.runtime.spawner.spawn(spawnConfig({
      type: 'ha_actuator', name: 'front-door-unlock', description: 'unlocks when the door sensor opens',
      mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'], detection_filter: { 'new_state.state': 'on' },
      actions: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }],
    }), { by: 'user' });
    await w.runtime.spawner.spawn(spawnConfig({
      type: 'ha_actuator', name: 'doorbell-light', description: 'hallway light when the doorbell rings',
      mqtt_topics: ['custom/triggers/doorbell'], detection_filter: {},
      actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }],
    }), { by: 'user' });
    w.outsider.on('message', (topic) => {
      if (topic.startsWith('wactorz/ha/state_changes/')) mirrored.push(topic);
    });
    await w.outsider.subscribeAsync('wactorz/ha/state_changes/#', { qos: 1 });
  });
  afterAll(async () => {
    await w.close();
  });

  const unlockRule = () => w.runtime.system.get('front-door-unlock') as HaActuatorAgent;

  it('ignores a forged "door opened" on the broker: the lock stays locked and the rule never even sees it', async () => {
    expect(w.state('lock.front_door')).toBe('locked');
    await w.outsider.publishAsync('wactorz/ha/state_changes/binary_sensor/binary_sensor.front_door', opened('binary_sensor.front_door', 'on'), { qos: 1 });
    // An honest device's message after the forgery: once its rule has acted, the broker has
    // delivered everything the attacker sent before it (one client's messages stay in order).
    await w.outsider.publishAsync('wactorz/custom/triggers/doorbell', JSON.stringify({ pressed: true }), { qos: 1 });
    await eventually(() => w.state('light.hallway') === 'on', 'the doorbell rule (MQTT data, non-sensitive) acted');
    expect(w.state('lock.front_door')).toBe('locked');
    expect(w.state('binary_sensor.front_door')).toBe('off');
    expect(unlockRule().stats.triggers).toBe(0);
    expect(w.runtime.haDemo!.serviceCalls().filter((c) => c.domain === 'lock')).toEqual([]);
  });

  it('acts on the real state change from Home Assistant, and still mirrors it to the broker for others', async () => {
    w.runtime.haDemo!.setState('binary_sensor.front_door', 'on');
    await eventually(() => w.state('lock.front_door') === 'unlocked', 'the owner\'s rule unlocked the door on the real change');
    expect(unlockRule().stats.triggers).toBe(1);
    await eventually(() => mirrored.includes('wactorz/ha/state_changes/binary_sensor/binary_sensor.front_door'), 'the change is mirrored');
  });

  it('never lets a rule on broker data act on a lock without the owner\'s grant for that rule', async () => {
    w.runtime.haDemo!.setState('lock.front_door', 'locked');
    // Written by the LLM: no grant. The spawn refuses it outright, before it can listen.
    await expect(w.runtime.spawner.spawn(spawnConfig({
      type: 'ha_actuator', name: 'nfc-unlock', description: 'unlocks on an NFC tag',
      mqtt_topics: ['custom/triggers/nfc'], detection_filter: {},
      actions: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }],
    }), { by: 'llm' })).rejects.toThrow(/lock\.front_door.*confirmation/);
    await w.outsider.publishAsync('wactorz/custom/triggers/nfc', '{"tag":"x"}', { qos: 1 });
    await w.outsider.publishAsync('wactorz/custom/triggers/doorbell', JSON.stringify({ pressed: true }), { qos: 1 });
    await eventually(() => (w.runtime.system.get('doorbell-light') as HaActuatorAgent).stats.triggers === 2, 'the sentinel arrived');
    expect(w.state('lock.front_door')).toBe('locked');
  });
});
