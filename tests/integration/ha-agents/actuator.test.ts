import { afterEach, describe, expect, it } from 'vitest';
import { HaActuatorAgent, type ActuatorStats } from '../../../server/src/agents/ha/actuator/actuator-agent.ts';
import { haActuatorFactory } from '../../../server/src/agents/ha/actuator/factory.ts';
import { SpawnError } from '../../../server/src/agents/spawner/agent-spawner.ts';
import { actuatorConfig } from './configs.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
afterEach(async () => world.close());

const turnOnHallway = [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }];
const calls = (service: string) => world.home.serviceCalls().filter((c) => `${c.domain}.${c.service}` === service);

async function spawn(input: Record<string, unknown>, confirmed = false) {
  const actor = await world.system.spawn(new HaActuatorAgent(actuatorConfig(input), { ha: world.ha, sensitiveConfirmed: confirmed }));
  await world.synced();
  return actor;
}

/** The actuator's counters once it has handled `n` triggers (one ask at a time, through its mailbox). */
async function statsAfter(name: string, n: number): Promise<ActuatorStats> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stats = await world.system.ask<ActuatorStats>(name, 'status');
    if (stats.triggers >= n) return stats;
    if (Date.now() > deadline) throw new Error(`${name} handled only ${stats.triggers} of ${n} triggers: ${JSON.stringify(stats)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ha_actuator', () => {
  it('acts on a dotted-path match in a state-bridge payload and publishes the actuation', async () => {
    world = await startWorld();
    const actor = await spawn({ mqtt_topics: ['custom/triggers/door'], detection_filter: { 'new_state.state': 'on' }, actions: turnOnHallway, automation_id: 'door-rule' });
    world.publish('custom/triggers/door', { entity_id: 'binary_sensor.front_door', new_state: { state: 'off' } });
    world.publish('custom/triggers/door', { entity_id: 'binary_sensor.front_door', new_state: { state: 'on' } });
    await eventually(() => calls('light.turn_on').length > 0, 'light.turn_on at the demo home');
    expect(calls('light.turn_on')).toHaveLength(1);
    expect(calls('light.turn_on')[0]?.entityIds).toEqual(['light.hallway']);
    expect(world.home.getState('light.hallway')?.state).toBe('on');
    await eventually(() => world.on(`agents/${actor.id}/actuations`).length > 0, 'the actuation event');
    expect(world.on(`agents/${actor.id}/actuations`)[0]?.payload).toMatchObject({ service: 'light.turn_on', entity_id: 'light.hallway', status: 'ok', automation_id: 'door-rule', trigger_topic: 'wactorz/custom/triggers/door' });
    expect(await statsAfter('door-light', 2)).toMatchObject({ triggers: 2, filtered: 1, runs: 1 });
  });

  it('filters with operators on real messages, and with strict literals', async () => {
    world = await startWorld();
    await spawn({ mqtt_topics: ['custom/detections/cam'], detection_filter: { detected: true, confidence: { gte: 0.7, lt: 1 }, label: { ne: 'cat' } }, cooldown_seconds: 0, actions: turnOnHallway });
    for (const p of [
      { detected: 'true', confidence: 0.9, label: 'person' },
      { detected: true, confidence: 0.5, label: 'person' },
      { detected: true, confidence: 0.9, label: 'cat' },
      { detected: true, confidence: 1, label: 'person' },
      { detected: true, confidence: 0.7, label: 'person' },
    ]) world.publish('custom/detections/cam', p);
    expect(await statsAfter('door-light', 5)).toMatchObject({ filtered: 4, runs: 1 });
    expect(calls('light.turn_on')).toHaveLength(1);
  });

  it('honours its cooldown on the injected clock', async () => {
    world = await startWorld();
    await spawn({ mqtt_topics: ['custom/triggers/x'], detection_filter: { go: true }, cooldown_seconds: 60, actions: turnOnHallway });
    world.publish('custom/triggers/x', { go: true });
    world.publish('custom/triggers/x', { go: true });
    expect(await statsAfter('door-light', 2)).toMatchObject({ runs: 1, cooledDown: 1 });
    await world.clock.advance(59_000);
    world.publish('custom/triggers/x', { go: true });
    expect(await statsAfter('door-light', 3)).toMatchObject({ runs: 1, cooledDown: 2 });
    await world.clock.advance(1_000);
    world.publish('custom/triggers/x', { go: true });
    expect(await statsAfter('door-light', 4)).toMatchObject({ runs: 2, cooledDown: 2 });
    expect(calls('light.turn_on')).toHaveLength(2);
  });

  it('acts only while its conditions hold on live state', async () => {
    world = await startWorld();
    await spawn({
      mqtt_topics: ['custom/triggers/x'],
      cooldown_seconds: 0,
      conditions: [{ entity_id: 'sun.sun', state: 'below_horizon' }, { entity_id: 'sensor.living_room_temperature', operator: 'lt', value: 25 }],
      actions: turnOnHallway,
    });
    world.home.setState('sun.sun', 'above_horizon');
    await eventually(() => world.ha.getState('sun.sun')?.state === 'above_horizon', 'the cache to see the sun up');
    world.publish('custom/triggers/x', {});
    const first = await statsAfter('door-light', 1);
    expect(first).toMatchObject({ runs: 0, conditionsUnmet: 1, lastSkip: 'condition not met: sun.sun is "above_horizon", the rule wants eq "below_horizon"' });
    world.home.setState('sun.sun', 'below_horizon');
    await eventually(() => world.ha.getState('sun.sun')?.state === 'below_horizon', 'the cache to see the sun down');
    world.publish('custom/triggers/x', {});
    expect(await statsAfter('door-light', 2)).toMatchObject({ runs: 1, conditionsUnmet: 1 });
    expect(calls('light.turn_on')).toHaveLength(1);
  });

  it('does nothing while Home Assistant is unreachable, and says why', async () => {
    world = await startWorld();
    const actor = await spawn({ mqtt_topics: ['custom/triggers/x'], cooldown_seconds: 0, actions: turnOnHallway });
    await world.home.stop();
    await eventually(() => world.ha.connectionState() !== 'connected', 'the client to notice');
    world.publish('custom/triggers/x', {});
    expect(await statsAfter('door-light', 1)).toMatchObject({ runs: 0, unreachable: 1 });
    await eventually(() => world.on(`agents/${actor.id}/actuations`).length > 0 && world.on(`agents/${actor.id}/errors`).length > 0, 'the report');
    expect(world.on(`agents/${actor.id}/actuations`)[0]?.payload).toMatchObject({ service: 'light.turn_on', status: 'ha_unreachable', reason: expect.stringMatching(/^Home Assistant is (disconnected|connecting|failed).*light\.turn_on was not called/) as unknown });
    expect(world.on(`agents/${actor.id}/errors`)[0]?.payload).toMatchObject({ severity: 'warning', phase: 'actuate' });
    await world.home.start();
    await eventually(() => world.ha.connectionState() === 'connected', 'HA back');
    expect(calls('light.turn_on')).toHaveLength(0);
    // Back online, the next trigger acts (no fail-open, no fail-forever either).
    world.publish('custom/triggers/x', {});
    await eventually(() => calls('light.turn_on').length === 1, 'the call after reconnecting');
  });

  it('refuses a sensitive action the user did not confirm, and reports it', async () => {
    world = await startWorld();
    const actor = await spawn({ mqtt_topics: ['custom/triggers/x'], cooldown_seconds: 0, actions: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }] });
    world.publish('custom/triggers/x', {});
    expect(await statsAfter('door-light', 1)).toMatchObject({ runs: 0, refused: 1 });
    await eventually(() => world.on(`agents/${actor.id}/actuations`).length > 0, 'the refusal');
    expect(world.on(`agents/${actor.id}/actuations`)[0]?.payload).toMatchObject({ status: 'refused_sensitive', entity_id: 'lock.front_door' });
    expect(world.home.serviceCalls()).toEqual([]);
    expect(world.home.getState('lock.front_door')?.state).toBe('locked');
  });

  it('reports a failing call and stops at it, like an HA automation', async () => {
    world = await startWorld();
    const actor = await spawn({ mqtt_topics: ['custom/triggers/x'], cooldown_seconds: 0, actions: [{ domain: 'climate', service: 'set_temperature', entity_id: 'climate.living_room', service_data: { temperature: 99 } }, ...turnOnHallway] });
    world.publish('custom/triggers/x', {});
    await eventually(() => world.on(`agents/${actor.id}/actuations`).length >= 2, 'both outcomes');
    const outcomes = world.on(`agents/${actor.id}/actuations`).map((s) => s.payload as { status: string; service: string; error?: string });
    expect(outcomes.map((o) => [o.service, o.status])).toEqual([['climate.set_temperature', 'error'], ['light.turn_on', 'not_run']]);
    expect(outcomes[0]?.error).toMatch(/99/);
    expect(calls('light.turn_on')).toHaveLength(0);
  });
});

describe('ha_actuator factory', () => {
  it('refuses unknown entities and services before anything starts', async () => {
    world = await startWorld();
    const factory = haActuatorFactory({ system: world.system, ha: world.ha });
    const config = actuatorConfig({ mqtt_topics: ['x'], actions: [{ domain: 'light', service: 'blink', entity_id: 'light.attic' }], conditions: [{ entity_id: 'sensor.nowhere', state: 'on' }] });
    expect(factory.validate?.(config)).toEqual([
      'Home Assistant has no service light.blink (light offers toggle, turn_off, turn_on)',
      'Home Assistant has no entity light.attic',
      'condition on sensor.nowhere: Home Assistant has no such entity',
    ]);
    await expect(factory.start(config, { by: 'llm' })).rejects.toThrow(SpawnError);
    expect(world.system.get('door-light')).toBeUndefined();
  });

  it('starts sensitive rules only when the user confirmed them, and keeps that confirmation across a restore', async () => {
    world = await startWorld();
    const factory = haActuatorFactory({ system: world.system, ha: world.ha });
    const unlock = actuatorConfig({ mqtt_topics: ['custom/triggers/arrive'], actions: [{ domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' }] });
    await expect(factory.start(unlock, { by: 'llm' })).rejects.toThrow(/lock\.front_door.*needs your explicit confirmation/);
    await expect(factory.start(unlock, { by: 'planner', ruleId: 'r1' })).rejects.toThrow(SpawnError);
    expect(world.system.get('door-light')).toBeUndefined();

    const started = await factory.start(unlock, { by: 'planner', ruleId: 'r1', confirmed: true });
    await world.synced();
    world.publish('custom/triggers/arrive', {});
    await eventually(() => world.home.getState('lock.front_door')?.state === 'unlocked', 'the confirmed unlock');
    expect(started.id).toBe(world.system.get('door-light')?.id);

    // A restart restores it with origin `restore`: the confirmation is found again...
    await world.restart();
    const again = haActuatorFactory({ system: world.system, ha: world.ha });
    await expect(again.start(unlock, { by: 'restore' })).resolves.toMatchObject({ id: expect.any(String) as unknown });
    // ...but a restore of a config whose sensitive part changed does not inherit it.
    await world.system.stopActor('door-light');
    const other = actuatorConfig({ mqtt_topics: ['custom/triggers/arrive'], actions: [{ domain: 'cover', service: 'open_cover', entity_id: 'cover.garage_door' }] });
    await expect(again.start(other, { by: 'restore' })).rejects.toThrow(/cover\.garage_door/);
  });
});
