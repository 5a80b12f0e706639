// Each canonical pattern end to end: a sentence, a scripted plan, the proposal, "yes", and the
// rule acting on the demo home (a service call or a notification) through the broker, the state
// bridge and the real spawned agents.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { reply, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { byKind } from '../../unit/agents/planner/llm-script.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';
import { P1_MOTION_LIGHT, P2_DOOR_NOTIFY, P3_CAMERA_UNLOCK, P4_CAMERA_NOTIFY, P5_MIDNIGHT_LIGHTS, P6_TEMP_LAMP, P7_SNAPSHOT } from './plans.ts';

let world: PlannerWorld;
const ctx = { conversationId: 'c1', userId: 'alex' };

afterEach(async () => {
  await world.close();
});

/** The whole chat side: the sentence, the proposal, "yes". Returns the rule's id. */
async function approveRule(sentence: string, plan: unknown, other: (r: FakeRequest) => string = () => 'no'): Promise<string> {
  world.fake.respond(byKind({ pipeline: () => reply.text(`\`\`\`json\n${JSON.stringify(plan)}\n\`\`\``), other: (r) => reply.text(other(r)) }).fn);
  const proposed = await world.planner.planner.handle({ text: sentence, mode: 'pipeline', ...ctx });
  if (proposed.kind !== 'proposal') throw new Error(`expected a proposal, got ${proposed.kind}: ${proposed.text}`);
  expect(proposed.proposal.validation.errors).toEqual([]);
  expect(proposed.text).toContain('Reply "yes" to approve');
  const approved = await world.planner.plans.handleReply('yes', ctx);
  if (approved?.kind !== 'rule') throw new Error(`expected a rule, got ${approved?.kind}: ${approved?.text}`);
  expect(approved.rule.status).toBe('active');
  return approved.rule.id;
}

/** The detector's vision call carries the camera image. */
const hasImage = (r: FakeRequest) => JSON.stringify(r.body.messages).includes('"type":"image"');

beforeEach(async () => {
  world = await startPlannerWorld();
});

test('1. HA sensor -> HA action: motion turns the hallway light on', async () => {
  const ruleId = await approveRule('turn on the hallway light when motion is detected in the hallway', P1_MOTION_LIGHT);
  expect(world.calls('light.turn_on')).toEqual([]);
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion', friendly_name: 'Hallway Motion' });
  await eventually(() => world.home.getState('light.hallway')?.state === 'on', 'the hallway light on');
  expect(world.calls('light.turn_on').map((c) => c.entityIds)).toEqual([['light.hallway']]);
  await eventually(() => world.planner.rules.get(ruleId)?.fireCount === 1, 'the rule to record its firing');
  expect(world.planner.rules.get(ruleId)?.lastFiredAt).toBe(world.clock.now());
});

test('2. HA sensor -> notification: the front door opening notifies the phone', async () => {
  await approveRule('notify me on my phone when the front door opens', P2_DOOR_NOTIFY);
  world.home.setState('binary_sensor.front_door', 'on', { device_class: 'door', friendly_name: 'Front Door' });
  await eventually(() => world.home.notifications().length === 1, 'a notification');
  expect(world.home.notifications()[0]).toMatchObject({ service: 'notify.mobile_app_phone', message: 'The front door opened', title: 'Home' });
});

test('3. camera detection -> HA action: a person on the camera unlocks the door, confirmed by the approval', async () => {
  let looked = 0;
  const ruleId = await approveRule('unlock the front door when a person is detected on the front camera', P3_CAMERA_UNLOCK, (r) => (hasImage(r) ? (looked++, 'Yes, a person.') : 'no'));
  const proposal = world.planner.plans.list({ status: 'approved' })[0];
  expect(proposal?.validation.sensitive).toEqual(['lock.front_door']);
  expect(world.home.getState('lock.front_door')?.state).toBe('locked');
  await world.clock.advance(5_000);
  await eventually(() => world.home.getState('lock.front_door')?.state === 'unlocked', 'the door unlocked');
  expect(looked).toBeGreaterThanOrEqual(1);
  expect(world.calls('lock.unlock').map((c) => c.entityIds)).toEqual([['lock.front_door']]);
  expect(world.planner.rules.get(ruleId)?.agentStates.map((a) => a.state)).toEqual(['running', 'running']);
});

test('4. camera detection -> notification: a person at the door notifies the phone', async () => {
  await approveRule('notify me if someone is seen on the front camera', P4_CAMERA_NOTIFY, (r) => (hasImage(r) ? 'yes' : 'no'));
  await world.clock.advance(5_000);
  await eventually(() => world.home.notifications().length > 0, 'a notification');
  expect(world.home.notifications()[0]).toMatchObject({ service: 'notify.mobile_app_phone', message: 'Someone is at the front door' });
});

test('5. schedule -> action: at midnight every light goes off', async () => {
  const ruleId = await approveRule('turn off all lights every day at midnight', P5_MIDNIGHT_LIGHTS);
  expect(world.home.getState('light.living_room')?.state).toBe('on');
  // 12:00 UTC; midnight in Amsterdam (the demo home's zone) is 23:00 UTC.
  await world.clock.advance(11 * 3600_000);
  await eventually(() => world.home.getState('light.living_room')?.state === 'off', 'the lights off');
  expect(world.calls('light.turn_off')).toHaveLength(1);
  await eventually(() => world.planner.rules.get(ruleId)?.fireCount === 1, 'the firing recorded');
});

test('6. MQTT sensors + condition -> HA action: warm and lamp on turns the lamp off', async () => {
  // A sensor that already publishes: the planner's topic check sees it as live traffic.
  world.publish('custom/sensors/temp_humidity', { temp: 18, humidity: 40 });
  await eventually(() => world.topicBus.registry.sample('custom/sensors/temp_humidity') !== undefined, 'the sample observed');
  await approveRule('if the floor lamp is on and the temperature goes above 20, turn off the lamp', P6_TEMP_LAMP);
  world.home.setState('light.floor_lamp', 'on', { friendly_name: 'Floor Lamp' });
  await eventually(() => world.on('ha/state_changes/light/light.floor_lamp').length > 0, 'the lamp change bridged');
  expect(world.calls('light.turn_off')).toEqual([]);
  world.publish('custom/sensors/temp_humidity', { temp: 24, humidity: 40 });
  await eventually(() => world.home.getState('light.floor_lamp')?.state === 'off', 'the lamp off');
  expect(world.calls('light.turn_off').map((c) => c.entityIds)).toEqual([['light.floor_lamp']]);
});

test('7. one-shot snapshot: the camera image is described and sent to the phone', async () => {
  await approveRule('take a snapshot of the front door camera and tell me who is there', P7_SNAPSHOT, (r) => (hasImage(r) ? 'A courier holding a parcel.' : 'no'));
  await eventually(() => world.home.notifications().length === 1, 'the notification');
  expect(world.home.notifications()[0]).toMatchObject({ message: 'A courier holding a parcel.', title: 'Front door' });
});
