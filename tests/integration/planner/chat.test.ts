// The planner behind the orchestrator, as a user meets it in chat: a rule asked for in plain
// words (classified PIPELINE) or with `pipeline:`, the proposal card, "yes", the rule acting,
// /rules and /plans, and the warning when a new request comes while a plan waits.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Orchestrator } from '../../../server/src/agents/main/orchestrator.ts';
import { CLASSIFIER_SYSTEM } from '../../../server/src/agents/main/routing/classifier.ts';
import type { TurnContext } from '../../../server/src/agents/main/turn-context.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { byKind, systemOf, userOf } from '../../unit/agents/planner/llm-script.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';
import { P1_MOTION_LIGHT, P2_DOOR_NOTIFY } from './plans.ts';

let world: PlannerWorld;
let main: Orchestrator;
const turn: TurnContext = { user: { id: 'alex', name: 'Alex' }, channel: 'test', conversationId: 'kitchen-tablet' };

beforeEach(async () => {
  world = await startPlannerWorld();
  main = world.chatOrchestrator();
  world.fake.respond(byKind({
    pipeline: (r) => reply.text(JSON.stringify(userOf(r).includes('front door') ? P2_DOOR_NOTIFY : P1_MOTION_LIGHT)),
    other: (r) => reply.text(systemOf(r).includes(CLASSIFIER_SYSTEM.slice(0, 40)) ? (JSON.stringify(r.body.messages).includes('when') ? 'PIPELINE' : 'OTHER') : 'Happy to help.'),
  }).fn);
});
afterEach(async () => {
  await main.stop();
  await world.close();
});

test('a rule in plain words: classified, proposed with a card, approved with "yes", then acting', async () => {
  const proposed = await main.ask('turn on the hallway light when motion is detected', turn);
  expect(proposed.route).toBe('pipeline');
  expect(proposed.agent).toBe('planner');
  const card = proposed.events.find((e) => e.type === 'proposal');
  if (card?.type !== 'proposal') throw new Error('no proposal card');
  expect(card.plan).toMatchObject({ status: 'pending', conversation_id: 'kitchen-tablet', title: 'Hallway light on motion', agents: [{ name: 'hall-motion-light', type: 'ha_actuator', trigger: 'ha/state_changes/binary_sensor/binary_sensor.hallway_motion' }], validation: { ok: true, errors: [] } });
  expect(proposed.reply).toContain('Reply "yes" to approve');
  // The answer waits for an approval: Assist keeps listening, chat apps show Approve / Reject.
  expect(proposed.events.find((e) => e.type === 'done')).toMatchObject({ awaiting: 'approval' });

  const yes = await main.ask('yes', turn);
  expect(yes.route).toBe('followup');
  expect(yes.events.find((e) => e.type === 'done')).not.toHaveProperty('awaiting');
  expect(yes.reply).toMatch(/^✅ Rule [0-9a-f]{8} is running \(plan [0-9a-f]{8}\)\./);
  expect(yes.events.filter((e) => e.type === 'spawn').map((e) => e.type === 'spawn' && e.name)).toEqual(['hall-motion-light']);

  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion' });
  await eventually(() => world.home.getState('light.hallway')?.state === 'on', 'the light on');

  const rules = await main.ask('/rules', turn);
  expect(rules.reply).toContain('Hallway light on motion: active');
  expect(rules.reply).toContain('agents: hall-motion-light running');
  const plans = await main.ask('/plans', turn);
  expect(plans.reply).toContain(`[${card.plan.id}] Hallway light on motion: approved (rule `);
  const ruleId = /Rule ([0-9a-f]{8})/.exec(yes.reply)?.[1] ?? '';
  expect((await main.ask(`/rules delete ${ruleId}`, turn)).reply).toBe(`Rule ${ruleId} deleted, with its agents.`);
  expect(world.system.get('hall-motion-light')).toBeUndefined();
});

test('pipeline: proposes directly; /plans approve <id> deploys; another conversation\'s "yes" is not an approval', async () => {
  const proposed = await main.ask('pipeline: notify me when the front door opens', { ...turn });
  const card = proposed.events.find((e) => e.type === 'proposal');
  if (card?.type !== 'proposal') throw new Error('no proposal card');
  const elsewhere = await main.ask('yes', { ...turn, conversationId: 'phone' });
  expect(elsewhere.route).not.toBe('followup');
  expect(world.agents.spawner.list()).toEqual([]);
  const approved = await main.ask(`/plans approve ${card.plan.id}`, turn);
  expect(approved.reply).toMatch(new RegExp(`^Plan ${card.plan.id} approved: rule [0-9a-f]{8} is running\\.$`));
  expect(world.agents.spawner.list().map((a) => a.name)).toEqual(['front-door-notify']);
});

test('a spawn-like request while a plan is pending gets a warning and nothing else', async () => {
  const proposed = await main.ask('pipeline: turn on the hallway light when motion is detected', turn);
  const card = proposed.events.find((e) => e.type === 'proposal');
  if (card?.type !== 'proposal') throw new Error('no proposal card');
  const next = await main.ask('spawn an agent that tracks my energy use', turn);
  expect(next.reply.startsWith(`⚠️ Plan ${card.plan.id} ("Hallway light on motion") is still waiting for your answer`)).toBe(true);
  expect(next.reply).toContain('I did not act on this message');
  // Not routed on: no LLM answer, no agent spawned, no second plan.
  expect(next.reply).not.toContain('Happy to help.');
  expect(world.agents.spawner.list()).toEqual([]);
  expect(world.planner.plans.list({ status: 'pending' }).map((p) => p.id)).toEqual([card.plan.id]);
  expect(world.planner.plans.get(card.plan.id)?.status).toBe('pending');
});

test('a second rule request while a plan is pending makes no second plan, so "yes" approves the one shown', async () => {
  const proposed = await main.ask('pipeline: turn on the hallway light when motion is detected', turn);
  const card = proposed.events.find((e) => e.type === 'proposal');
  if (card?.type !== 'proposal') throw new Error('no proposal card');
  const second = await main.ask('pipeline: notify me when the front door opens', turn);
  expect(second.events.some((e) => e.type === 'proposal')).toBe(false);
  expect(second.reply).toContain(`Plan ${card.plan.id} ("Hallway light on motion") is still waiting for your answer`);
  expect(world.planner.plans.list({ status: 'pending' }).map((p) => p.id)).toEqual([card.plan.id]);
  const yes = await main.ask('yes', turn);
  expect(yes.reply).toContain(`(plan ${card.plan.id}`);
  expect(world.planner.plans.get(card.plan.id)?.status).toBe('approved');
});
