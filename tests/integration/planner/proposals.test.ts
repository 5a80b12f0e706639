// The proposal flow over the real parts: every transition (approve, reject, supersede by a
// correction, expire), bypass prefixes, the warning for spawn-like requests while a plan is
// pending, the one retry with validation errors, refusals, persistence across a restart, and the
// current state re-published on approval so a rule acts on the present at once.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { reply, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { byKind, userOf } from '../../unit/agents/planner/llm-script.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';
import { P1_MOTION_LIGHT, P3_CAMERA_UNLOCK, P5_MIDNIGHT_LIGHTS } from './plans.ts';

let world: PlannerWorld;
const ctx = { conversationId: 'c1', userId: 'alex' };

beforeEach(async () => {
  world = await startPlannerWorld();
});
afterEach(async () => {
  await world.close();
});

function answerPlans(...plans: unknown[]): { pipelineCalls: () => FakeRequest[] } {
  let i = 0;
  const script = byKind({ pipeline: () => reply.text(JSON.stringify(plans[Math.min(i++, plans.length - 1)])) });
  world.fake.respond(script.fn);
  return { pipelineCalls: () => script.calls.filter((c) => c.kind === 'pipeline').map((c) => c.request) };
}

async function propose(text: string, extra: { bypassApproval?: boolean; conversationId?: string } = {}) {
  return world.planner.planner.handle({ text, mode: 'pipeline', ...ctx, ...extra });
}

const spawned = () => world.agents.spawner.list().map((a) => a.name);

test('"no" rejects the pending plan: nothing is spawned, and the plan stays rejected', async () => {
  answerPlans(P1_MOTION_LIGHT);
  const p = await propose('turn on the hallway light when motion is detected');
  if (p.kind !== 'proposal') throw new Error(p.text);
  const r = await world.planner.plans.handleReply('no', ctx);
  expect(r).toMatchObject({ kind: 'proposal', proposal: { id: p.proposal.id, status: 'rejected' } });
  expect(spawned()).toEqual([]);
  expect(await world.planner.plans.handleReply('yes', ctx)).toBeUndefined();
  expect(await world.planner.plans.approve(p.proposal.id)).toMatchObject({ kind: 'error', text: expect.stringContaining(`plan ${p.proposal.id} is rejected`) as unknown });
  await expect(world.planner.http.plans.list()).resolves.toEqual([expect.objectContaining({ id: p.proposal.id, status: 'rejected', reason: 'rejected by the user' })]);
});

test('a correction supersedes the plan and re-plans with the previous plan and the change', async () => {
  const later = structuredClone(P5_MIDNIGHT_LIGHTS);
  later.agents[0].spawn_config.schedule.at = '00:30';
  const llm = answerPlans(P5_MIDNIGHT_LIGHTS, later);
  const first = await propose('turn off all lights every day at midnight');
  if (first.kind !== 'proposal') throw new Error(first.text);
  const corrected = await world.planner.plans.handleReply('make it 30 minutes later', ctx);
  if (corrected?.kind !== 'proposal') throw new Error(`expected a new proposal: ${corrected?.text}`);
  const asked = userOf(llm.pipelineCalls()[1]);
  expect(asked).toContain('Your previous plan');
  expect(asked).toContain('The user wants this change: make it 30 minutes later');
  expect(corrected.text).toContain(`Plan ${first.proposal.id} is superseded by this one.`);
  expect(corrected.proposal).toMatchObject({ status: 'pending', supersedes: first.proposal.id });
  expect(corrected.text).toContain('every day at 00:30');
  expect(world.planner.plans.get(first.proposal.id)).toMatchObject({ status: 'superseded', supersededBy: corrected.proposal.id });
  expect(await world.planner.plans.approve(first.proposal.id)).toMatchObject({ kind: 'error' });
  const approved = await world.planner.plans.handleReply('approve', ctx);
  expect(approved).toMatchObject({ kind: 'rule' });
  expect(spawned()).toEqual(['midnight-lights-off']);
});

test('a pending plan expires after 24 h: it can no longer be approved and "yes" is not taken as an answer', async () => {
  answerPlans(P1_MOTION_LIGHT);
  const p = await propose('turn on the hallway light when motion is detected');
  if (p.kind !== 'proposal') throw new Error(p.text);
  await world.clock.advance(24 * 3600_000);
  expect(world.planner.plans.get(p.proposal.id)).toMatchObject({ status: 'expired', reason: 'not approved within 24 hours' });
  expect(await world.planner.plans.handleReply('yes', ctx)).toBeUndefined();
  const viaHttp = await world.planner.http.plans.approve(p.proposal.id, undefined as never);
  expect(viaHttp).toMatchObject({ status: 'expired', rule_id: null });
  expect(spawned()).toEqual([]);
});

test('a bypass prefix deploys at once, but not a plan with sensitive actions', async () => {
  answerPlans(P1_MOTION_LIGHT, P3_CAMERA_UNLOCK);
  const direct = await propose('turn on the hallway light when motion is detected', { bypassApproval: true });
  expect(direct).toMatchObject({ kind: 'rule', rule: { status: 'active' } });
  expect(world.planner.plans.list({ status: 'pending' })).toEqual([]);
  const sensitive = await propose('unlock the front door when a person is at the camera', { bypassApproval: true });
  expect(sensitive.kind).toBe('proposal');
  expect(sensitive.text).toMatch(/^I did not skip approval: it acts on lock\.front_door, which needs your explicit approval\./);
  expect(spawned()).toEqual(['hall-motion-light']);
});

test('spawn-like requests while a plan is pending get a warning; unrelated questions do not', async () => {
  answerPlans(P1_MOTION_LIGHT);
  const p = await propose('turn on the hallway light when motion is detected');
  if (p.kind !== 'proposal') throw new Error(p.text);
  expect(await world.planner.plans.handleReply('notify me when the garage opens', ctx)).toBeUndefined();
  expect(world.planner.plans.pendingWarning('notify me when the garage opens', ctx)).toBe(`⚠️ Plan ${p.proposal.id} ("Hallway light on motion") is still waiting for your answer; approve it with /plans approve ${p.proposal.id} or reject it with /plans reject ${p.proposal.id}. I did not act on this message: answer the plan first (or change it: "make it ..."), then ask again.`);
  expect(world.planner.plans.pendingWarning('what is the temperature?', ctx)).toBeUndefined();
  // Another conversation has no pending plan.
  expect(world.planner.plans.pendingWarning('notify me when the garage opens', { ...ctx, conversationId: 'c2' })).toBeUndefined();
});

test('a plan failing validation goes back to the LLM once with the errors', async () => {
  const wrong = structuredClone(P1_MOTION_LIGHT);
  wrong.agents[0].spawn_config.actions = [{ domain: 'light', service: 'turn_on', entity_id: 'light.hall' }];
  const llm = answerPlans(wrong, P1_MOTION_LIGHT);
  const p = await propose('turn on the hallway light when motion is detected');
  expect(p).toMatchObject({ kind: 'proposal', proposal: { validation: { ok: true } } });
  expect(llm.pipelineCalls()).toHaveLength(2);
  expect(userOf(llm.pipelineCalls()[1])).toContain('It failed validation');
  expect(userOf(llm.pipelineCalls()[1])).toContain('light.hall, which does not exist in Home Assistant');
});

test('failing twice, the plan goes to the user with the errors and cannot be approved', async () => {
  const wrong = structuredClone(P1_MOTION_LIGHT);
  wrong.agents[0].spawn_config.actions = [{ domain: 'light', service: 'turn_on', entity_id: 'light.hall' }];
  const llm = answerPlans(wrong);
  const p = await propose('turn on the hallway light when motion is detected');
  if (p.kind !== 'proposal') throw new Error(p.text);
  expect(llm.pipelineCalls()).toHaveLength(2);
  expect(p.text).toContain('Validation: ❌ 1 problem');
  expect(p.text).toContain('This plan cannot be approved as it is.');
  const yes = await world.planner.plans.handleReply('yes', ctx);
  expect(yes).toMatchObject({ kind: 'error', text: expect.stringContaining('did not pass validation') as unknown });
  expect(spawned()).toEqual([]);
});

test('a rule the home cannot do is refused before any LLM call', async () => {
  const llm = answerPlans(P1_MOTION_LIGHT);
  const r = await propose('start the vacuum when I leave');
  expect(r).toMatchObject({ kind: 'refused' });
  expect(r.text).toContain('your home has no vacuum');
  expect(llm.pipelineCalls()).toHaveLength(0);
});

test('a pending plan survives a restart and is approved afterwards; the rule then fires', async () => {
  answerPlans(P1_MOTION_LIGHT);
  const p = await propose('turn on the hallway light when motion is detected');
  if (p.kind !== 'proposal') throw new Error(p.text);
  await world.restart();
  expect(world.planner.plans.get(p.proposal.id)?.status).toBe('pending');
  const r = await world.planner.plans.handleReply('yes', ctx);
  expect(r?.kind).toBe('rule');
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion' });
  await eventually(() => world.home.getState('light.hallway')?.state === 'on', 'the light on');
});

test('on approval the watched entities are re-published: a rule about the present acts at once', async () => {
  const lightOn = {
    pattern: 'ha_sensor_notification',
    title: 'Living room light is on',
    summary: 'Notifies the phone while the living room light is on.',
    agents: [{ name: 'living-light-notify', description: '', spawn_config: { type: 'ha_actuator', mqtt_topics: ['ha/state_changes/light/light.living_room'], detection_filter: { 'new_state.state': 'on' }, actions: [{ service: 'notify.mobile_app_phone', data: { message: 'The living room light is on' } }] } }],
  };
  answerPlans(lightOn);
  expect(world.home.getState('light.living_room')?.state).toBe('on');
  const p = await propose('send me a message if the living room light is on');
  if (p.kind !== 'proposal') throw new Error(p.text);
  await world.planner.plans.handleReply('yes', ctx);
  await eventually(() => world.home.notifications().length === 1, 'the notification about the present state');
  expect(world.home.notifications()[0]?.message).toBe('The living room light is on');
});

test('the proposal shows the agents, what each does, the validation result and the backtest', async () => {
  world.home.recordHistory('binary_sensor.hallway_motion', 'off', {}, world.clock.now() - 100 * 3600_000);
  world.home.recordHistory('binary_sensor.hallway_motion', 'on', {}, world.clock.now() - 50 * 3600_000);
  world.home.recordHistory('binary_sensor.hallway_motion', 'off', {}, world.clock.now() - 49 * 3600_000);
  answerPlans(P1_MOTION_LIGHT);
  const p = await propose('turn on the hallway light when motion is detected');
  if (p.kind !== 'proposal') throw new Error(p.text);
  expect(p.text).toContain(`Plan ${p.proposal.id} — Hallway light on motion (HA sensor → HA action)`);
  expect(p.text).toContain('1. hall-motion-light (ha_actuator): on ha/state_changes/binary_sensor/binary_sensor.hallway_motion where new_state.state = "on": light.turn_on light.hallway (cooldown 10 s)');
  expect(p.text).toContain('Validation: ✅ passed');
  expect(p.text).toContain('would have fired 1 time: Tue 30 Dec 11:00.');
});
