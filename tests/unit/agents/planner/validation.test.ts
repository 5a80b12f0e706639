// Static validation against the demo home: a sound plan passes; a wrong entity, a wrong service,
// uncompilable or non-SDK code, a dangling topic and a self-triggering rule are each caught with
// a message that says what to fix; sensitive actions are flagged for the approval to confirm.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TopicRegistry } from '../../../../server/src/bus/topic-bus/registry.ts';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { snapshotHome } from '../../../../server/src/agents/planner/pipeline/home.ts';
import type { PipelinePlan } from '../../../../server/src/agents/planner/pipeline/pipeline-plan.ts';
import type { ValidationReport } from '../../../../server/src/agents/planner/validation/issues.ts';
import { validatePlan } from '../../../../server/src/agents/planner/validation/validate-plan.ts';
import { demoHa, type DemoHa } from './demo-ha.ts';
import { planOf } from './test-plan.ts';

let d: DemoHa;
beforeAll(async () => {
  d = await demoHa();
});
afterAll(async () => {
  await d.close();
});

function plan(agents: Record<string, unknown>[], extra: Record<string, unknown> = {}): PipelinePlan {
  return planOf(agents, { extra });
}

async function check(p: PipelinePlan, registry?: TopicRegistry, agentExists?: (n: string) => boolean): Promise<ValidationReport> {
  return validatePlan(p, { home: snapshotHome(d.ha), ha: d.ha, ...(registry ? { registry } : {}), ...(agentExists ? { agentExists } : {}) });
}

const actuator = (extra: Record<string, unknown> = {}) => ({
  type: 'ha_actuator',
  name: 'motion-hallway-actuator',
  mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.hallway_motion'],
  detection_filter: { 'new_state.state': 'on' },
  actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }],
  ...extra,
});

const messages = (r: ValidationReport) => r.errors.map((e) => `${e.kind}: ${e.message}`);

test('a sound plan passes with no errors', async () => {
  const r = await check(plan([actuator()]));
  expect(messages(r)).toEqual([]);
  expect(r.ok).toBe(true);
  expect(r.sensitive).toEqual([]);
});

test('a wrong entity is caught, with the closest real one suggested', async () => {
  const r = await check(plan([actuator({ actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway_lamp'] } }] })]));
  expect(r.ok).toBe(false);
  expect(messages(r)).toEqual(['unknown_entity: ha_actuator actions[0] names light.hallway_lamp, which does not exist in Home Assistant (did you mean light.hallway or light.floor_lamp?)']);
});

test('a trigger topic on an entity that does not exist is caught too', async () => {
  const r = await check(plan([actuator({ mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.garden_motion'] })]));
  expect(r.errors.map((e) => e.kind)).toEqual(['unknown_entity', 'dangling_topic']);
});

test('a wrong service is caught, naming what the domain offers', async () => {
  const r = await check(plan([actuator({ actions: [{ domain: 'light', service: 'switch_on', target: { entity_id: ['light.hallway'] } }] })]));
  expect(r.ok).toBe(false);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).toMatchObject({ kind: 'unknown_service', agent: 'motion-hallway-actuator' });
  expect(r.errors[0].message).toMatch(/^calls light\.switch_on, which Home Assistant does not have \(light offers .*light\.turn_on/);
});

test('a notify target that does not exist is a wrong service', async () => {
  const r = await check(plan([actuator({ actions: [{ domain: 'notify', service: 'mobile_app_tablet', service_data: { message: 'hi' } }] })]));
  expect(messages(r)).toEqual([expect.stringMatching(/^unknown_service: calls notify\.mobile_app_tablet, which Home Assistant does not have \(notify offers .*notify\.mobile_app_phone/) as unknown]);
});

test('uncompilable code, Python and non-SDK calls are caught', async () => {
  const syntax = await check(plan([{ type: 'dynamic', name: 'broken', code: 'async function setup(agent) {\n  agent.log("x"\n}' }], { pattern: 'camera_snapshot' }));
  expect(syntax.errors).toEqual([expect.objectContaining({ kind: 'code', agent: 'broken', message: expect.stringMatching(/^code does not compile: line \d+, column \d+: SyntaxError/) as unknown })]);
  const python = await check(plan([{ type: 'dynamic', name: 'py', code: 'async def setup(agent):\n    await agent.log("hi")' }], { pattern: 'camera_snapshot' }));
  expect(python.errors[0].message).toContain('this looks like Python');
  const outside = await check(plan([{ type: 'dynamic', name: 'outside', code: 'async function setup(agent) {\n  const r = await fetch("http://example.com");\n  agent.sendEmail("x");\n}' }], { pattern: 'camera_snapshot' }));
  expect(outside.errors.map((e) => e.message)).toEqual([
    expect.stringContaining('fetch() is not available: use await agent.http.fetch(url)') as unknown,
    expect.stringContaining('agent.sendEmail() is not part of the agent SDK') as unknown,
  ]);
});

test('a topic nobody publishes is a dangling topic; wildcards on either side are understood', async () => {
  const dangling = await check(plan([actuator({ mqtt_topics: ['custom/triggers/hallway'], detection_filter: { triggered: true } })]));
  expect(messages(dangling)).toEqual(['dangling_topic: listens on "custom/triggers/hallway" but nothing publishes there']);

  const detector = { type: 'dynamic', name: 'cam-detect', poll_interval: 10, code: "async function process(agent) {\n  await agent.publish('custom/detections/front_door', { detected: true });\n}" };
  const wired = await check(plan([detector, actuator({ name: 'cam-actuator', mqtt_topics: ['custom/detections/+'], detection_filter: { detected: true } })], { pattern: 'camera_detection_action' }));
  expect(messages(wired)).toEqual([]);

  const registry = new TopicRegistry(new ManualClock());
  registry.declare('temp-simulator', { publishes: ['sensors/kitchen/temp'] });
  const live = await check(plan([actuator({ mqtt_topics: ['sensors/#'], detection_filter: { temp: { gt: 28 } } })]), registry);
  expect(messages(live)).toEqual([]);
});

test('a state topic in the wrong form is dangling, with the right form shown', async () => {
  const r = await check(plan([actuator({ mqtt_topics: ['ha/state_changes/binary_sensor/hallway_motion'] })]));
  expect(messages(r)).toEqual([expect.stringContaining('Home Assistant state changes arrive on ha/state_changes/<domain>/<entity_id>, e.g. ha/state_changes/') as unknown]);
});

test('a rule that toggles the light it watches triggers itself', async () => {
  const r = await check(plan([actuator({
    name: 'lamp-flip',
    mqtt_topics: ['ha/state_changes/light/light.living_room'],
    detection_filter: null,
    actions: [{ domain: 'light', service: 'toggle', target: { entity_id: ['light.living_room'] } }],
  })]));
  expect(r.errors.map((e) => e.kind)).toEqual(['self_trigger']);
  expect(r.errors[0].message).toContain('light.toggle on light.living_room changes light.living_room in a way its own trigger (lamp-flip) fires on again');
});

test('turning a light on when it goes on fires again (any change re-fires); turning it off when it goes on does not', async () => {
  const onOnAny = await check(plan([actuator({ mqtt_topics: ['ha/state_changes/light/light.kitchen'], detection_filter: { 'new_state.state': { ne: 'unavailable' } }, actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.kitchen'] } }] })]));
  expect(onOnAny.errors.map((e) => e.kind)).toEqual(['self_trigger']);
  const offWhenOn = await check(plan([actuator({ mqtt_topics: ['ha/state_changes/light/light.kitchen'], detection_filter: { 'new_state.state': 'on' }, actions: [{ domain: 'light', service: 'turn_off', target: { entity_id: ['light.kitchen'] } }] })]));
  expect(messages(offWhenOn)).toEqual([]);
});

test('a code trigger on the acted-on entity is a warning unless the plan declares the trigger', async () => {
  const filterAgent = { type: 'dynamic', name: 'lamp-watch', code: "async function setup(agent) {\n  agent.subscribe('ha/state_changes/#', async (p) => { if (p.entity_id === 'light.floor_lamp') await agent.publish('custom/triggers/lamp', { triggered: true }); });\n}" };
  const act = actuator({ name: 'lamp-act', mqtt_topics: ['custom/triggers/lamp'], detection_filter: { triggered: true }, actions: [{ domain: 'light', service: 'toggle', target: { entity_id: ['light.floor_lamp'] } }] });
  const unknown = await check(plan([filterAgent, act]));
  expect(unknown.ok).toBe(true);
  expect(unknown.warnings.map((w) => w.kind)).toContain('self_trigger');
  const declared = await check(plan([filterAgent, act], { trigger: { entity_id: 'light.floor_lamp' } }));
  expect(declared.errors.map((e) => e.kind)).toEqual(['self_trigger']);
});

test('sensitive actions are flagged; names of existing agents are refused', async () => {
  const r = await check(plan([actuator({ name: 'door-unlock', actions: [{ domain: 'lock', service: 'unlock', target: { entity_id: ['lock.front_door'] } }] })]), undefined, (n) => n === 'door-unlock');
  expect(r.sensitive).toEqual(['lock.front_door']);
  expect(messages(r)).toEqual(['name_taken: an agent named "door-unlock" already exists; pick another name']);
  const garage = await check(plan([actuator({ actions: [{ domain: 'cover', service: 'open_cover', target: { entity_id: ['cover.garage_door'] } }] })]));
  expect(garage.sensitive).toEqual(['cover.garage_door']);
});

test('a sensitive action on broker data is flagged: approving lets anyone on the broker trigger it', async () => {
  const unlock = [{ domain: 'lock', service: 'unlock', target: { entity_id: ['lock.front_door'] } }];
  const onHaState = await check(plan([actuator({ name: 'door-unlock', actions: unlock })]));
  expect(onHaState.warnings.filter((w) => w.kind === 'sensitive')).toEqual([]);
  const onBroker = await check(plan([actuator({ name: 'nfc-unlock', mqtt_topics: ['custom/triggers/nfc'], detection_filter: {}, actions: unlock })], { pattern: 'mqtt_condition_action' }));
  expect(onBroker.errors.filter((e) => e.kind === 'sensitive')).toEqual([]);
  expect(onBroker.sensitive).toEqual(['lock.front_door']);
  expect(onBroker.warnings.filter((w) => w.kind === 'sensitive').map((w) => w.message)).toEqual([
    'it acts on lock.front_door when a message arrives on custom/triggers/nfc; any device or client on the MQTT broker can publish there, so approving lets them trigger it',
  ]);
});

test('a sensitive action in agent code is refused: only declared actions can be confirmed by approval', async () => {
  const r = await check(plan([{ type: 'dynamic', name: 'sneaky-unlock', code: "async function setup(agent) {\n  await agent.ha.callService('lock', 'unlock', { entity_id: 'lock.front_door' });\n}" }], { pattern: 'camera_snapshot' }));
  expect(messages(r)).toEqual(["sensitive: its code acts on lock.front_door; sensitive actions must be an ha_actuator's (or a scheduled agent's) declared actions, which the user's approval confirms"]);
});
