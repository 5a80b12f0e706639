// The end-to-end rule, all real parts: the front door opens in the demo home -> the real HA client
// sees the state change -> the state bridge publishes it to aedes -> an ha_actuator spawned through
// the real AgentSpawner hears it -> light.turn_on reaches the demo home.
import { afterEach, describe, expect, it } from 'vitest';
import { startHaAgents, type HaAgents } from '../../../server/src/agents/ha/start.ts';
import type { StateBridgeScope } from '../../../server/src/agents/ha/state-bridge.ts';
import { createAgentRuntime, type AgentRuntime } from '../../../server/src/agents/spawner/assemble.ts';
import { eventually, startWorld, type HaAgentsWorld } from './world.ts';

let world: HaAgentsWorld;
let runtime: AgentRuntime | undefined;
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
  await world.close();
});

async function boot(stateBridge?: StateBridgeScope): Promise<{ agents: HaAgents; runtime: AgentRuntime }> {
  const agents = await startHaAgents({ system: world.system, ha: world.ha, ...(stateBridge ? { stateBridge } : {}) });
  const rt = createAgentRuntime({ system: world.system, db: world.db, clock: world.clock, ha: world.ha, recipesDir: null });
  for (const f of agents.factories({ supervision: rt.supervision, retire: (name) => rt.spawner.delete(name) })) rt.spawner.registerType(f);
  await rt.start();
  runtime = rt;
  return { agents, runtime: rt };
}

const doorRule = {
  type: 'ha_actuator',
  name: 'front-door-light',
  description: 'Turn on the hallway light when the front door opens',
  mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
  detection_filter: { 'new_state.state': 'on', 'old_state.state': 'off' },
  cooldown_seconds: 0,
  actions: [{ service: 'light.turn_on', entity_id: 'light.hallway' }],
};
const lightOnCalls = () => world.home.serviceCalls().filter((c) => c.domain === 'light' && c.service === 'turn_on' && c.entityIds.includes('light.hallway'));

describe('end-to-end rule: front door opens -> hallway light turns on', () => {
  it('runs through the state bridge, a real broker and a spawned ha_actuator, and survives a restart', async () => {
    world = await startWorld();
    const { runtime: rt, agents } = await boot();
    expect(agents.supervisor.children().map((c) => [c.name, c.state])).toEqual([
      ['home-assistant-state-bridge', 'running'], ['home-assistant-agent', 'running'], ['home-assistant-map-agent', 'running'],
    ]);
    expect(await rt.spawner.spawn(doorRule as never, { by: 'planner', ruleId: 'rule-1' })).toMatchObject({ status: 'spawned', type: 'ha_actuator' });
    await world.synced();

    world.home.setState('binary_sensor.front_door', 'on');
    await eventually(() => lightOnCalls().length === 1, 'light.turn_on at the demo home');
    expect(world.home.getState('light.hallway')?.state).toBe('on');
    expect(world.on('ha/state_changes/binary_sensor/binary_sensor.front_door')).toHaveLength(1);

    // Closing is not opening; a second opening acts again.
    world.home.setState('binary_sensor.front_door', 'off');
    world.home.setState('binary_sensor.front_door', 'on');
    await eventually(() => lightOnCalls().length === 2, 'the second opening');
    expect(world.on('ha/state_changes/binary_sensor/binary_sensor.front_door')).toHaveLength(3);

    // A restart of the add-on: the rule is restored from the spawn registry and still works.
    await rt.stop();
    runtime = undefined;
    await world.restart();
    const again = await boot();
    expect(await again.runtime.spawner.restoreAll()).toEqual({ restored: ['front-door-light'], failed: [] });
    await world.synced();
    world.home.setState('binary_sensor.front_door', 'off');
    world.home.setState('binary_sensor.front_door', 'on');
    await eventually(() => lightOnCalls().length === 3, 'the rule acting after the restart');
  });

  it('with ha_bridge_domains, publishes only those domains; conditions on the others still read the live state', async () => {
    world = await startWorld();
    const { runtime: rt } = await boot({ domains: ['binary_sensor'] });
    expect(await world.system.ask('home-assistant-state-bridge', 'status')).toMatchObject({ domains: ['binary_sensor'], per_entity: true });
    // Guest mode is not bridged: the rule's condition on it reads Home Assistant's state cache.
    await rt.spawner.spawn({ ...doorRule, conditions: [{ entity_id: 'input_boolean.guest_mode', state: 'on' }] } as never, { by: 'planner', ruleId: 'rule-1' });
    await world.synced();
    world.home.setState('input_boolean.guest_mode', 'on');
    await eventually(() => world.ha.getState('input_boolean.guest_mode')?.state === 'on', 'the cache to follow');
    world.home.setState('binary_sensor.front_door', 'on');
    await eventually(() => lightOnCalls().length === 1, 'the rule acting on a bridged trigger with an unbridged condition');
    // Guest mode changed before the door: had it been bridged, it would have arrived first.
    expect(world.on('ha/state_changes/#').map((m) => m.topic)).toEqual(['wactorz/ha/state_changes/binary_sensor/binary_sensor.front_door']);
  });

  it('retires a fired `once` for good through the spawner', async () => {
    world = await startWorld();
    const { runtime: rt } = await boot();
    await rt.spawner.spawn({ type: 'scheduled', name: 'porch-once', schedule: { type: 'once', at: '2026-01-10T12:10:00Z' }, actions: [{ service: 'light.turn_on', entity_id: 'light.hallway' }] } as never, { by: 'user' });
    expect(rt.spawner.list().map((a) => a.name)).toEqual(['porch-once']);
    await world.clock.advance(10 * 60_000);
    await eventually(() => lightOnCalls().length === 1 && rt.spawner.list().length === 0 && world.on('schedule/porch-once/fired').length === 1, 'the firing and the retirement');
    expect(world.on('schedule/porch-once/fired')[0]?.payload).toMatchObject({ name: 'porch-once', scheduled_for: '2026-01-10T12:10:00.000Z' });
    expect(world.system.get('porch-once')).toBeUndefined();
  });

  it('lets the planner deploy a garage rule only with the user\'s confirmation', async () => {
    world = await startWorld();
    const { runtime: rt } = await boot();
    const garage = { ...doorRule, name: 'arrive-garage', actions: [{ service: 'cover.open_cover', entity_id: 'cover.garage_door' }] };
    await expect(rt.spawner.spawn(garage as never, { by: 'planner', ruleId: 'r2' })).rejects.toThrow(/cover\.garage_door.*confirmation/);
    expect(rt.spawner.list()).toEqual([]);
    await expect(rt.spawner.spawn(garage as never, { by: 'planner', ruleId: 'r2', confirmed: true })).resolves.toMatchObject({ status: 'spawned' });
    await world.synced();
    world.home.setState('binary_sensor.front_door', 'on');
    await eventually(() => world.home.getState('cover.garage_door')?.state === 'open' || world.home.getState('cover.garage_door')?.state === 'opening', 'the garage opening');
  });

  it('keeps a confirmed garage rule running when the LLM tries to replace it', async () => {
    world = await startWorld();
    const { runtime: rt } = await boot();
    const garage = { ...doorRule, name: 'arrive-garage', actions: [{ service: 'cover.open_cover', entity_id: 'cover.garage_door' }] };
    await rt.spawner.spawn(garage as never, { by: 'planner', ruleId: 'r2', confirmed: true });
    // The LLM's replacement is refused (no confirmation from model output)...
    await expect(rt.spawner.spawn({ ...garage, replace: true } as never, { by: 'llm' })).rejects.toThrow(/previous version is running again/);
    // ...and the user's rule is back, with its confirmation, and still acts.
    expect(world.system.get('arrive-garage')?.state).toBe('running');
    await world.synced();
    world.home.setState('binary_sensor.front_door', 'on');
    await eventually(() => world.home.getState('cover.garage_door')?.state === 'open' || world.home.getState('cover.garage_door')?.state === 'opening', 'the garage opening');
  });
});
