// Rules triggered by Home Assistant listen on the state bridge's per-entity topics: with the add-on
// options ha_bridge_domains / ha_bridge_per_entity_topics, a rule where the bridge does not publish
// would never fire, so the planner refuses it, naming the option; its prompt names the bridged
// domains so the model plans within them, and /rules flags a rule approved before the list changed.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { discover } from '../../../../server/src/agents/planner/pipeline/discovery.ts';
import { snapshotHome } from '../../../../server/src/agents/planner/pipeline/home.ts';
import type { PipelinePlan } from '../../../../server/src/agents/planner/pipeline/pipeline-plan.ts';
import { bridgeScopeSection, pipelineSystem } from '../../../../server/src/agents/planner/pipeline/pipeline-prompt.ts';
import { bridgeWarnings } from '../../../../server/src/agents/planner/rules/bridge-warnings.ts';
import { SpawnConfig } from '../../../../server/src/agents/spawn-config/config-schema.ts';
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
  const actuator = { type: 'ha_actuator', name: 'door-light-actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'], detection_filter: { 'new_state.state': 'on' }, actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }] };
  return planOf([actuator]);
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

test('the prompt names the bridged domains when the list is restricted, and nothing when it is not', () => {
  const home = discover(snapshotHome(d.ha));
  expect(bridgeScopeSection(undefined)).toBe('');
  expect(bridgeScopeSection({ domains: [], perEntity: true })).toBe('');
  expect(pipelineSystem(home, { domains: [] })).toBe(pipelineSystem(home));
  const prompt = pipelineSystem(home, { domains: ['light', 'binary_sensor'], perEntity: true });
  expect(prompt).toContain('STATE BRIDGE: state changes are published ONLY for these domains (the add-on option ha_bridge_domains): light, binary_sensor.');
  expect(prompt.indexOf('STATE BRIDGE')).toBeLessThan(prompt.indexOf('HOME ASSISTANT ENTITIES'));
  expect(pipelineSystem(home, { perEntity: false })).toContain('the add-on option ha_bridge_per_entity_topics is off');
});

const agentsOf = (plan: PipelinePlan) => plan.agents.map((a) => ({ config: a.config, description: a.description }));

test('a rule approved before ha_bridge_domains dropped its domain is flagged, naming the option', () => {
  const rule = { agents: agentsOf(doorRule) };
  expect(bridgeWarnings(rule, undefined)).toEqual([]);
  expect(bridgeWarnings(rule, { domains: [] })).toEqual([]);
  expect(bridgeWarnings(rule, { domains: ['binary_sensor'] })).toEqual([]);
  expect(bridgeWarnings(rule, { domains: ['light', 'sensor'] })).toEqual(['will not fire: binary_sensor is not bridged; add it to ha_bridge_domains']);
  expect(bridgeWarnings(rule, { perEntity: false })).toEqual(['will not fire: the state bridge no longer publishes per-entity topics; turn ha_bridge_per_entity_topics on']);
});

test('a rule that listens on no state topic, or on every domain, is not flagged', () => {
  const scheduled = { config: SpawnConfig.parse({ type: 'scheduled', name: 'night-lights', schedule: { kind: 'daily', at: '00:00' }, publish_topic: 'schedule/night-lights/fired', actions: [] }), description: '' };
  expect(bridgeWarnings({ agents: [scheduled] }, { domains: ['light'] })).toEqual([]);
  const any = { config: SpawnConfig.parse({ ...doorRule.agents[0].config, mqtt_topics: ['ha/state_changes/+/#'] }), description: '' };
  expect(bridgeWarnings({ agents: [any] }, { domains: ['light'] })).toEqual([]);
});
