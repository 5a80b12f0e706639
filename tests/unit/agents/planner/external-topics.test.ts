// Rules on device topics outside the root (mqtt_read_topics): an allowed device topic is a
// producer of its own (the device), one the owner did not allow is an error that names the option.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { snapshotHome } from '../../../../server/src/agents/planner/pipeline/home.ts';
import type { PipelinePlan } from '../../../../server/src/agents/planner/pipeline/pipeline-plan.ts';
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

const doorRule: PipelinePlan = (() => {
  const actuator = { type: 'ha_actuator', name: 'door-light-actuator', mqtt_topics: ['zigbee2mqtt/door_sensor'], detection_filter: { contact: false }, actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }] };
  return planOf([actuator]);
})();

test('a rule on an allowed device topic validates', async () => {
  const r = await validatePlan(doorRule, { home: snapshotHome(d.ha), ha: d.ha, externalReads: ['zigbee2mqtt/+'] });
  expect(r.errors).toEqual([]);
  expect(r.ok).toBe(true);
});

test('a rule on a device topic the owner did not allow is refused, naming the option', async () => {
  const r = await validatePlan(doorRule, { home: snapshotHome(d.ha), ha: d.ha });
  expect(r.errors.map((e) => e.message)).toEqual(['listens on "zigbee2mqtt/door_sensor", but it is a device topic outside Wactorz that the owner has not allowed in the add-on option mqtt_read_topics (it allows none)']);
});
