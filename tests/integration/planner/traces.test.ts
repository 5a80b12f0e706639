// Rule traces from sentence to answer, over the real parts (aedes, SQLite file, demo home, the
// spawner with the HA agents and dynamic agents): /rules trace names the clause or condition that
// stopped a rule, what ran and HA's answer; says when nothing arrived at all and what the state
// bridge saw; the traces survive a restart; a dynamic agent's agent.trace steps appear beside them.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { CommandContext } from '../../../server/src/agents/main/commands/registry.ts';
import { rulesCommand } from '../../../server/src/agents/main/commands/rules.ts';
import { formatTime } from '../../../server/src/agents/planner/rules/rule-format.ts';
import { RuleTrace } from '../../../server/src/contract/rules.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';
import { P1_MOTION_LIGHT, P5_MIDNIGHT_LIGHTS, P6_TEMP_LAMP } from './plans.ts';

let world: PlannerWorld;

beforeEach(async () => {
  world = await startPlannerWorld();
});
afterEach(async () => {
  await world.close();
});

/** `/rules trace ...` as the owner types it in chat (no LLM involved). */
function slash(...args: string[]): Promise<string> {
  return rulesCommand.run({ args, rest: args.join(' '), deps: { rules: world.planner.http.rules } } as unknown as CommandContext);
}

/** HH:MM of the world's clock in Home Assistant's time zone, as a person would say it. */
function hhmm(ms: number): string {
  return formatTime(ms, world.ha.config()?.time_zone).slice(11);
}

const evaluations = (id: string) => world.planner.rules.traces(id) ?? [];

async function motion(): Promise<void> {
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion' });
  await eventually(() => evaluations(ruleId).some((t) => t.outcome === 'acted'), 'the rule acted');
}
let ruleId = '';

test('the present filtered out, then motion acts: /rules trace names the clause and HA\'s answer', async () => {
  ruleId = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  // The re-published present (motion off) is the first evaluation.
  await eventually(() => evaluations(ruleId).length === 1, 'the first evaluation traced');
  const filtered = await slash('trace', ruleId, hhmm(world.clock.now()));
  expect(filtered).toContain(`Rule ${ruleId} (Hallway light on motion): 1 evaluation`);
  expect(filtered).toContain('hall-motion-light [trigger] filtered out');
  expect(filtered).toContain('arrived on wactorz/ha/state_changes/binary_sensor/binary_sensor.hallway_motion: binary_sensor.hallway_motion: (none) -> "off"');
  expect(filtered).toContain('stopped by filter new_state.state ("off", wanted "on")');

  await world.clock.advance(30_000);
  await motion();
  const latest = await slash('trace', 'hallway');
  expect(latest).toMatch(/2 evaluations, 1 acted/);
  expect(latest).toContain('hall-motion-light [trigger] acted');
  expect(latest).toContain('binary_sensor.hallway_motion: "off" -> "on"');
  expect(latest).toContain('✓ action light.turn_on light.hallway: HA answered ok');
  // Newest first: the firing is above the filtered present.
  expect(latest.indexOf('acted (')).toBeLessThan(latest.indexOf('filtered out'));
  expect(world.home.getState('light.hallway')?.state).toBe('on');
});

test('a condition that is false is named with the entity\'s state at that moment', async () => {
  const plan = structuredClone(P1_MOTION_LIGHT) as typeof P1_MOTION_LIGHT & { agents: [{ spawn_config: Record<string, unknown> }] };
  plan.agents[0].spawn_config.conditions = [{ entity_id: 'sun.sun', state: 'below_horizon' }];
  world.home.setState('sun.sun', 'above_horizon');
  await eventually(() => world.ha.getState('sun.sun')?.state === 'above_horizon', 'the sun up in the cache');
  ruleId = await world.deployRule(plan, 'turn on the hallway light on motion after sunset');
  await eventually(() => evaluations(ruleId).length === 1, 'the present evaluated');
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion' });
  await eventually(() => evaluations(ruleId).some((t) => t.outcome === 'condition_false'), 'the condition evaluated');
  const text = await slash('trace', ruleId);
  expect(text).toContain('condition false');
  expect(text).toContain('stopped by condition sun.sun (sun.sun is "above_horizon", the rule wants eq "below_horizon")');
  expect(world.calls('light.turn_on')).toEqual([]);
});

test('traces survive a restart, and the API serves them in the contract\'s shape', async () => {
  ruleId = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  await world.clock.advance(1_000);
  await motion();
  const before = evaluations(ruleId).map((t) => t.outcome);
  await world.restart();
  // The restart re-publishes nothing for an unchanged rule; what was traced is read back from the file.
  expect(evaluations(ruleId).map((t) => t.outcome).slice(-before.length)).toEqual(before);
  const api = await world.planner.http.rules.traces!(ruleId, { limit: 10 });
  expect(api?.map((t) => RuleTrace.parse(t).outcome)).toContain('acted');
  expect(await world.planner.http.rules.traces!('nope', {})).toBeUndefined();
  expect(await slash('trace', ruleId)).toContain('✓ action light.turn_on light.hallway: HA answered ok');
});

test('when nothing arrived at that time, the answer says so and what the state bridge saw', async () => {
  ruleId = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  await eventually(() => evaluations(ruleId).length === 1, 'the present evaluated');
  await world.clock.advance(2 * 3_600_000);
  const text = await slash('trace', ruleId, hhmm(world.clock.now() - 3_600_000));
  expect(text).toContain('no evaluation between');
  expect(text).toContain('nothing arrived on its trigger topics (ha/state_changes/binary_sensor/binary_sensor.hallway_motion)');
  expect(text).toContain('What the state bridge saw:');
  expect(text).toMatch(/binary_sensor\.hallway_motion: no (change|history) in that window; now "off"/);
  expect(await slash('trace', ruleId, 'teatime')).toMatch(/^I could not read "teatime" as a time/);
  expect(await slash('trace', 'garage')).toMatch(/^There is no rule garage/);
});

test('a dynamic agent\'s agent.trace steps appear in its rule\'s trace', async () => {
  const plan = structuredClone(P6_TEMP_LAMP);
  const monitor = plan.agents[0].spawn_config as { code: string };
  monitor.code = monitor.code.replace('const check = async () => {', "const check = async () => {\n    await agent.trace('checked', { temp: agent.state.temp, lampOn: agent.state.lampOn });");
  world.publish('custom/sensors/temp_humidity', { temp: 18, humidity: 40 });
  await eventually(() => world.topicBus.registry.sample('custom/sensors/temp_humidity') !== undefined, 'the sample observed');
  ruleId = await world.deployRule(plan, 'if the floor lamp is on and the temperature goes above 20, turn off the lamp');
  world.home.setState('light.floor_lamp', 'on', { friendly_name: 'Floor Lamp' });
  await eventually(() => world.on('ha/state_changes/light/light.floor_lamp').length > 0, 'the lamp change bridged');
  world.publish('custom/sensors/temp_humidity', { temp: 24, humidity: 40 });
  await eventually(() => evaluations(ruleId).some((t) => t.outcome === 'acted'), 'the lamp rule acted');
  const text = await slash('trace', ruleId);
  expect(text).toContain('warm-lamp-monitor [agent] agent step');
  expect(text).toContain('✓ agent checked: {"temp":24,"lampOn":true}');
  expect(text).toContain('warm-lamp-off [trigger] acted');
});

test('a scheduled rule traces its firings: what ran and HA\'s answer', async () => {
  ruleId = await world.deployRule(P5_MIDNIGHT_LIGHTS, 'turn off all lights every day at midnight');
  // To midnight in HA's zone and not past it: a longer advance would also run out the call's timeout.
  const midnight = Date.parse(/* Europe/Amsterdam in the demo home */ '2026-01-01T23:00:00Z');
  expect(hhmm(midnight)).toBe('00:00');
  await world.clock.advance(midnight - world.clock.now());
  await eventually(() => evaluations(ruleId).some((t) => t.kind === 'schedule'), 'the firing traced');
  const text = await slash('trace', ruleId);
  expect(text).toContain('midnight-lights-off [schedule] acted');
  expect(text).toMatch(/✓ schedule daily firing: scheduled for \S+T\S+Z/);
  expect(text).toContain('✓ action light.turn_off light.living_room,light.kitchen,light.bedroom,light.hallway,light.floor_lamp: HA answered ok');
});

test('a change HA recorded while the rule heard nothing is named, from HA\'s history', async () => {
  // The demo home stamps its history with the wall clock: this world's clock starts two hours
  // before it, so that "now" in the world is the demo home's now after the advance below.
  await world.close();
  world = await startPlannerWorld(Date.now() - 2 * 3_600_000);
  ruleId = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  await eventually(() => evaluations(ruleId).length === 1, 'the present evaluated');
  await world.clock.advance(2 * 3_600_000);
  // Disabled: its actuator is stopped, so the change below reaches the bridge and no rule.
  await world.planner.rules.setEnabled(ruleId, false);
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion' });
  await eventually(() => world.ha.getState('binary_sensor.hallway_motion')?.state === 'on', 'the change seen by the client');
  const text = await slash('trace', ruleId, hhmm(world.clock.now()));
  expect(text).toContain('no evaluation between');
  // (The demo home was born minutes ago: its first "off" is in the window too.)
  expect(text).toMatch(/binary_sensor\.hallway_motion changed \d× in that window: .*\d\d:\d\d on \(the rule heard none of it: check its trigger topic and filter\)/);
});
