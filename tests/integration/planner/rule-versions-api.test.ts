// The versions API over the real planner: GET /api/rules/{id}/versions lists every approved
// version with its diff, an edit approved through POST /api/plans/{id}/approve carries edit_of and
// the diff, POST /api/rules/{id}/rollback swaps back and records a version; bad input is refused.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { RuleRollbackResult, RuleVersion } from '../../../server/src/contract/rule-versions.ts';
import { SqliteSpawnRegistry } from '../../../server/src/store/spawn-registry.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { buildTestApp, type TestApp } from '../../helpers/http-app.ts';
import { byKind } from '../../unit/agents/planner/llm-script.ts';
import { startPlannerWorld, type PlannerWorld } from './planner-world.ts';

const plan = (cooldown: number) => ({
  pattern: 'ha_sensor_action',
  title: 'Hallway light on motion',
  summary: 'Turns on the hallway light on motion.',
  agents: [{ name: 'hall-motion-light', description: 'Light on motion', spawn_config: { type: 'ha_actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.hallway_motion'], detection_filter: { 'new_state.state': 'on' }, cooldown_seconds: cooldown, actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }] } }],
});

let world: PlannerWorld;
let t: TestApp;
let ruleId: string;

beforeEach(async () => {
  world = await startPlannerWorld();
  t = await buildTestApp({ services: { rules: world.planner.http.rules, plans: world.planner.http.plans } });
  ruleId = await world.deployRule(plan(600), 'turn on the hallway light on motion, at most every 10 minutes');
});
afterEach(async () => {
  await t.close();
  await world.close();
});

const cooldown = () => (new SqliteSpawnRegistry(world.db).get('hall-motion-light')?.config as { cooldown_seconds?: number } | undefined)?.cooldown_seconds;

test('versions, an edit approved through the API, and a rollback', async () => {
  const v1 = (await t.app.inject({ url: `/api/rules/${ruleId}/versions` })).json<RuleVersion[]>();
  expect(v1).toMatchObject([{ version: 1, current: true, source: 'created', approved_by: 'alex', request: 'turn on the hallway light on motion, at most every 10 minutes', diff: [], agents: [{ name: 'hall-motion-light', type: 'ha_actuator' }] }]);

  world.fake.respond(byKind({ pipeline: () => reply.text(JSON.stringify(plan(1800))) }).fn);
  const edit = await world.planner.plans.proposeEdit(ruleId, 'use 30 minutes instead of 10', { conversationId: 'panel', userId: 'alex' });
  if (edit.kind !== 'proposal') throw new Error(edit.text);
  const listed = (await t.app.inject({ url: '/api/plans' })).json<{ id: string; edit_of?: unknown; diff?: unknown }[]>().find((p) => p.id === edit.proposal.id);
  expect(listed).toMatchObject({ edit_of: { rule_id: ruleId, version: 1 }, diff: [{ agent: 'hall-motion-light', field: 'cooldown', before: '600 s (10 min)', after: '1800 s (30 min)' }] });
  const approved = await t.app.inject({ method: 'POST', url: `/api/plans/${edit.proposal.id}/approve` });
  expect(approved.json()).toMatchObject({ status: 'approved', rule_id: ruleId, edit_of: { rule_id: ruleId, version: 1 } });
  expect(cooldown()).toBe(1800);

  const v2 = (await t.app.inject({ url: `/api/rules/${ruleId}/versions` })).json<RuleVersion[]>();
  expect(v2.map((v) => [v.version, v.current, v.source])).toEqual([[2, true, 'edit'], [1, false, 'created']]);
  // Local dev mode: the access guard's identity is the local client.
  expect(v2[0]).toMatchObject({ request: 'use 30 minutes instead of 10', plan_id: edit.proposal.id, approved_by: 'local', summary: 'hall-motion-light cooldown 600 s (10 min) → 1800 s (30 min)' });

  const back = await t.app.inject({ method: 'POST', url: `/api/rules/${ruleId}/rollback`, payload: { version: 1 } });
  expect(back.statusCode).toBe(200);
  expect(back.json<RuleRollbackResult>()).toMatchObject({ rule: { id: ruleId, status: 'active' }, version: { version: 3, current: true, source: 'rollback', request: 'rollback to v1', diff: [{ field: 'cooldown', before: '1800 s (30 min)', after: '600 s (10 min)' }] } });
  expect(cooldown()).toBe(600);
  // By title, too.
  expect((await t.app.inject({ url: '/api/rules/hallway/versions' })).json<RuleVersion[]>().map((v) => v.version)).toEqual([3, 2, 1]);
});

test('unknown rules and versions, the current version, a bad body', async () => {
  const post = (id: string, payload: unknown) => t.app.inject({ method: 'POST', url: `/api/rules/${id}/rollback`, payload: payload as Record<string, unknown> });
  expect((await t.app.inject({ url: '/api/rules/nope/versions' })).statusCode).toBe(404);
  expect((await post('nope', { version: 1 })).json()).toMatchObject({ error: { code: 'not_found' } });
  const missing = await post(ruleId, { version: 4 });
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toMatchObject({ error: { message: `Rule ${ruleId} has no version 4; it has versions 1 to 1 (/rules history ${ruleId}).` } });
  const current = await post(ruleId, { version: 1 });
  expect(current.statusCode).toBe(409);
  expect(current.json()).toMatchObject({ error: { code: 'conflict', message: `Rule ${ruleId} already runs version 1; nothing to roll back.` } });
  expect((await post(ruleId, { version: 'one' })).statusCode).toBe(400);
  expect((await post(ruleId, {})).statusCode).toBe(400);
  // A disabled rule is not swapped (its agents would start).
  world.fake.respond(byKind({ pipeline: () => reply.text(JSON.stringify(plan(1800))) }).fn);
  const edit = await world.planner.plans.proposeEdit(ruleId, 'use 30 minutes', { conversationId: 'panel', userId: 'alex' });
  if (edit.kind !== 'proposal') throw new Error(edit.text);
  await t.app.inject({ method: 'POST', url: `/api/plans/${edit.proposal.id}/approve` });
  await t.app.inject({ method: 'POST', url: `/api/rules/${ruleId}/disable` });
  const disabled = await post(ruleId, { version: 1 });
  expect(disabled.statusCode).toBe(409);
  expect(disabled.json()).toMatchObject({ error: { message: `Rule ${ruleId} is disabled: enable it first, then change it (its agents are stopped, and swapping them would start them).` } });
  expect(world.system.get('hall-motion-light')?.state).not.toBe('running');
});
