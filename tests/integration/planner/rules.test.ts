// Rules over the real parts: listed with each agent's live state (as /rules and the API show
// them), disabled and enabled without deleting, deleted with every agent, restored after a
// restart and still firing, last fired time kept.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Plan } from '../../../server/src/contract/plans.ts';
import { Rule } from '../../../server/src/contract/rules.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';
import { P1_MOTION_LIGHT, P5_MIDNIGHT_LIGHTS } from './plans.ts';

let world: PlannerWorld;

beforeEach(async () => {
  world = await startPlannerWorld();
});
afterEach(async () => {
  await world.close();
});

async function motion(): Promise<void> {
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion' });
  await eventually(() => world.on('ha/state_changes/binary_sensor/binary_sensor.hallway_motion').some((s) => (s.payload as { new_state?: { state?: string } }).new_state?.state === 'on'), 'the motion bridged');
}

async function resetMotion(): Promise<void> {
  world.home.setState('binary_sensor.hallway_motion', 'off', { device_class: 'motion' });
  world.home.setState('light.hallway', 'off', { friendly_name: 'Hallway Light' });
  await eventually(() => world.ha.getState('light.hallway')?.state === 'off' && world.ha.getState('binary_sensor.hallway_motion')?.state === 'off', 'the reset seen by the client');
  world.seen.length = 0;
  // The actuator's cooldown (10 s) must not hide the next trigger.
  await world.clock.advance(11_000);
}

test('rules are listed with their agents\' live states, in /rules and in the API', async () => {
  const id = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  const [view] = world.planner.rules.list();
  expect(view).toMatchObject({ id, enabled: true, status: 'active', agentStates: [{ name: 'hall-motion-light', type: 'ha_actuator', state: 'running' }], fireCount: 0 });
  const text = world.planner.rules.format();
  expect(text).toContain(`🟢 [${id}] — turn on the hallway light when motion is detected`);
  expect(text).toContain('agents  : 🟢 hall-motion-light (running)');
  expect(text).toContain('fired   : never');
  const [api] = await world.planner.http.rules.list();
  expect(Rule.parse(api)).toMatchObject({ id, name: 'Hallway light on motion', status: 'active', agents: [{ name: 'hall-motion-light', state: 'running' }], last_fired_at: null, fire_count: 0 });
  for (const p of await world.planner.http.plans.list()) expect(() => Plan.parse(p)).not.toThrow();
});

test('a rule fires and records when; disabled it stops acting; enabled it acts again', async () => {
  const id = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  await motion();
  await eventually(() => world.home.getState('light.hallway')?.state === 'on', 'the light on');
  await eventually(() => world.planner.rules.get(id)?.fireCount === 1, 'the firing recorded');
  const firedAt = world.clock.now();
  expect((await world.planner.http.rules.list())[0]).toMatchObject({ fire_count: 1, last_fired_at: new Date(firedAt).toISOString() });

  await resetMotion();
  const off = await world.planner.rules.setEnabled(id, false);
  expect(off).toMatchObject({ enabled: false, status: 'disabled', agentStates: [{ state: 'stopped' }] });
  expect(world.agents.spawner.list().map((a) => a.name)).toEqual(['hall-motion-light']);
  await motion();
  // The bridge delivered the change; nothing listens any more: no second turn_on.
  expect(world.calls('light.turn_on')).toHaveLength(1);

  await resetMotion();
  const on = await world.planner.rules.setEnabled(id, true);
  expect(on).toMatchObject({ enabled: true, status: 'active', agentStates: [{ state: 'running' }] });
  await motion();
  await eventually(() => world.calls('light.turn_on').length === 2, 'the light turned on again');
});

test('deleting a rule stops and forgets every agent; a restart does not bring them back', async () => {
  const id = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  expect(await world.planner.rules.delete(id)).toBe(true);
  expect(world.planner.rules.list()).toEqual([]);
  expect(world.agents.spawner.list()).toEqual([]);
  expect(world.system.get('hall-motion-light')).toBeUndefined();
  expect(await world.planner.rules.delete(id)).toBe(false);
  const restored = await world.restart();
  expect(restored.restored).toEqual([]);
  expect(world.system.get('hall-motion-light')).toBeUndefined();
});

test('after a restart a rule and its agents are back, and the rule still fires', async () => {
  const id = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  const restored = await world.restart();
  expect(restored).toEqual({ restored: ['hall-motion-light'], failed: [] });
  expect(world.planner.rules.get(id)).toMatchObject({ status: 'active', text: 'turn on the hallway light when motion is detected' });
  await motion();
  await eventually(() => world.home.getState('light.hallway')?.state === 'on', 'the light on after the restart');
  await eventually(() => world.planner.rules.get(id)?.fireCount === 1, 'the firing recorded after the restart');
});

test('a disabled rule stays disabled across a restart, though the spawner restores its agents', async () => {
  const motionRule = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  const midnight = await world.deployRule(P5_MIDNIGHT_LIGHTS, 'turn off all lights every day at midnight');
  await world.planner.rules.setEnabled(motionRule, false);
  await world.restart();
  expect(world.planner.rules.get(motionRule)).toMatchObject({ enabled: false, status: 'disabled', agentStates: [{ state: 'stopped' }] });
  expect(world.planner.rules.get(midnight)).toMatchObject({ enabled: true, status: 'active' });
  await motion();
  expect(world.calls('light.turn_on')).toEqual([]);
});

test('a rule whose agent was deleted elsewhere shows as failed, with the reason in the API', async () => {
  const id = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  await world.agents.spawner.delete('hall-motion-light');
  expect(world.planner.rules.get(id)).toMatchObject({ status: 'failed', agentStates: [{ state: 'missing' }] });
  expect((await world.planner.http.rules.list())[0]).toMatchObject({ status: 'failed', error: 'not running: hall-motion-light (missing)', agents: [{ state: 'stopped' }] });
  expect(world.planner.rules.format()).toContain('🔴');
});
