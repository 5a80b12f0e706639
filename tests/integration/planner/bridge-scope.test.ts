// The state bridge's options (ha_bridge_domains, ha_bridge_per_entity_topics) seen by the planner
// among the real parts: the pipeline prompt names the domains the bridge publishes so the model
// plans within them, and /rules flags a rule approved before the owner narrowed the list (it keeps
// running, and never fires).
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Orchestrator } from '../../../server/src/agents/main/orchestrator.ts';
import type { TurnContext } from '../../../server/src/agents/main/turn-context.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { byKind, systemOf } from '../../unit/agents/planner/llm-script.ts';
import { startPlannerWorld, type PlannerWorld } from './planner-world.ts';
import { P1_MOTION_LIGHT } from './plans.ts';

let world: PlannerWorld;
let main: Orchestrator | undefined;
const turn: TurnContext = { user: { id: 'alex', name: 'Alex' }, channel: 'test', conversationId: 'kitchen-tablet' };

beforeEach(async () => {
  world = await startPlannerWorld();
});
afterEach(async () => {
  await main?.stop();
  main = undefined;
  await world.close();
});

test('with ha_bridge_domains set, the pipeline prompt lists the bridged domains; unrestricted, it says nothing', async () => {
  const script = byKind({ pipeline: () => reply.text(JSON.stringify(P1_MOTION_LIGHT)) });
  world.fake.respond(script.fn);
  await world.planner.planner.handle({ text: 'turn on the hallway light when motion is detected', mode: 'pipeline', conversationId: 'c1', userId: 'alex' });
  expect(systemOf(script.calls[0].request)).not.toContain('STATE BRIDGE');

  await world.restart({ stateBridge: { domains: ['light', 'binary_sensor'] } });
  await world.planner.planner.handle({ text: 'turn on the hallway light when motion is detected', mode: 'pipeline', conversationId: 'c2', userId: 'alex' });
  const prompt = systemOf(script.calls[1].request);
  expect(prompt).toContain('STATE BRIDGE: state changes are published ONLY for these domains (the add-on option ha_bridge_domains): light, binary_sensor.');
  expect(prompt).toContain('saying which domain to add to ha_bridge_domains');
});

test('/rules flags a rule listening on a domain the bridge no longer publishes, naming the option', async () => {
  const id = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  main = world.chatOrchestrator();
  expect((await main.ask('/rules', turn)).reply).not.toContain('will not fire');
  await main.stop();

  // The owner narrows ha_bridge_domains; the rule (on binary_sensor) was approved before.
  await world.restart({ stateBridge: { domains: ['light', 'sensor'] } });
  main = world.chatOrchestrator();
  const listed = (await main.ask('/rules', turn)).reply;
  expect(listed).toContain(`[${id}] Hallway light on motion: active`);
  expect(listed).toContain('⚠️ will not fire: binary_sensor is not bridged; add it to ha_bridge_domains');
  expect(await world.planner.http.rules.warnings?.()).toEqual({ [id]: ['will not fire: binary_sensor is not bridged; add it to ha_bridge_domains'] });
  await main.stop();

  await world.restart({ stateBridge: { domains: ['light', 'binary_sensor'] } });
  main = world.chatOrchestrator();
  expect((await main.ask('/rules', turn)).reply).not.toContain('will not fire');
});
