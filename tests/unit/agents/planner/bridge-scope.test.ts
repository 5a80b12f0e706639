// Rules triggered by Home Assistant listen on the state bridge's per-entity topics: with the add-on
// options ha_bridge_domains / ha_bridge_per_entity_topics, a rule where the bridge does not publish
// would never fire, so the planner refuses it, naming the option.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { snapshotHome } from '../../../../server/src/agents/planner/pipeline/home.ts';
import { parsePipelinePlan, type PipelinePlan } from '../../../../server/src/agents/planner/pipeline/pipeline-plan.ts';
import { validatePlan } from '../../../../server/src/agents/planner/validation/validate-plan.ts';
import { demoHa, type DemoHa } from './demo-ha.ts';

let d: DemoHa;
beforeAll(async () => {
  d = await demoHa();
});
afterAll(async () => {
  await d.close();
});

const doorRule: PipelinePlan = (() => {
  const actuator = { type: 'ha_actuator', name: 'door-light-actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'], detection_filter: { 'new_state.state': 'on' }, actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }] };
  const parsed = parsePipelinePlan(JSON.stringify({ pattern: 'ha_sensor_action', title: 't', summary: 's', agents: [{ description: '', spawn_config: actuator }] }));
  if (parsed.kind !== 'plan') throw new Error('test plan does not parse');
  return parsed.plan;
})();

test('a rule on a bridged domain validates', async () => {
  const r = await validatePlan(doorRule, { home: snapshotHome(d.ha), ha: d.ha, stateBridge: { domains: ['binary_sensor', 'light'] } });
  expect(r.errors).toEqual([]);
});

test('a rule triggered by a domain the bridge does not publish is refused, naming the option', async () => {
  const r = await validatePlan(doorRule, { home: snapshotHome(d.ha), ha: d.ha, stateBridge: { domains: ['light', 'sensor'] } });
  expect(r.errors.map((e) => e.message)).toEqual([
    'listens on "ha/state_changes/binary_sensor/binary_sensor.front_door", but the state bridge does not publish the binary_sensor domain (the add-on option ha_bridge_domains lists only light, sensor); add binary_sensor there for rules triggered by it',
  ]);
});

test('with one flat state topic, no rule triggered by a Home Assistant state is accepted', async () => {
  const r = await validatePlan(doorRule, { home: snapshotHome(d.ha), ha: d.ha, stateBridge: { perEntity: false } });
  expect(r.errors.map((e) => e.message)).toEqual([
    'listens on "ha/state_changes/binary_sensor/binary_sensor.front_door", but the state bridge publishes every change on the one topic ha/state_changes (the add-on option ha_bridge_per_entity_topics is off); turn it on for rules triggered by Home Assistant states',
  ]);
});
