// Editing a running rule in plain words, as a user meets it in chat: a rule made and approved,
// "use 30 minutes instead of 10" drafted from the running version into a proposal with the diff,
// "yes" swapping the agent, /rules history, /rules rollback back to v1 (recorded as v3); a stale
// edit refused; a replacement that cannot start leaving the running version as it was.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Orchestrator } from '../../../server/src/agents/main/orchestrator.ts';
import type { TurnContext } from '../../../server/src/agents/main/turn-context.ts';
import type { ChatEvent } from '../../../server/src/contract/chat.ts';
import { SqliteSpawnRegistry } from '../../../server/src/store/spawn-registry.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { byKind, userOf } from '../../unit/agents/planner/llm-script.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';

const actuator = (name: string, cooldown: number, light: string, topic = 'ha/state_changes/binary_sensor/binary_sensor.hallway_motion') => ({
  name,
  description: `Turns on ${light} on motion`,
  spawn_config: { type: 'ha_actuator', mqtt_topics: [topic], detection_filter: { 'new_state.state': 'on' }, cooldown_seconds: cooldown, actions: [{ domain: 'light', service: 'turn_on', entity_id: light }] },
});
const plan = (agents: unknown[]) => ({ pattern: 'ha_sensor_action', title: 'Hallway light on motion', summary: 'Turns on the hallway light on motion, at most every so often.', agents });
const TEN = plan([actuator('hall-motion-light', 600, 'light.hallway')]);
const THIRTY = plan([actuator('hall-motion-light', 1800, 'light.hallway')]);
const DOOR = {
  pattern: 'ha_sensor_notification',
  title: 'Front door notification',
  summary: 'Notifies the phone when the front door opens.',
  agents: [{ name: 'front-door-notify', description: 'Notifies the phone', spawn_config: { type: 'ha_actuator', mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'], detection_filter: { 'new_state.state': 'on' }, actions: [{ service: 'notify.mobile_app_phone', data: { message: 'Door' } }] } }],
};

let world: PlannerWorld;
let main: Orchestrator;
/** What the planner model answers next, by what the request asks. */
let script: (user: string) => unknown;
const turn: TurnContext = { user: { id: 'alex', name: 'Alex' }, channel: 'test', conversationId: 'kitchen-tablet' };

beforeEach(async () => {
  world = await startPlannerWorld();
  main = world.chatOrchestrator();
  script = (user) => (user.includes('front door') ? DOOR : user.includes('30 minutes') ? THIRTY : TEN);
  world.fake.respond(byKind({ pipeline: (r) => reply.text(JSON.stringify(script(userOf(r)))), other: () => reply.text('OTHER') }).fn);
});
afterEach(async () => {
  await main.stop();
  await world.close();
});

function card(events: ChatEvent[]) {
  const c = events.find((e) => e.type === 'proposal');
  if (c?.type !== 'proposal') throw new Error('no proposal card');
  return c.plan;
}

function running(name: string): Record<string, unknown> | undefined {
  return new SqliteSpawnRegistry(world.db).get(name)?.config as Record<string, unknown> | undefined;
}

async function makeRule(text = 'pipeline: turn on the hallway light when motion is detected, at most every 10 minutes'): Promise<string> {
  card((await main.ask(text, turn)).events);
  const yes = await main.ask('yes', turn);
  const id = /Rule ([0-9a-f]{8}) is running/.exec(yes.reply)?.[1];
  if (!id) throw new Error(yes.reply);
  return id;
}

test('an edit in plain words: proposed with the diff, approved, listed in the history, rolled back to v1', async () => {
  const id = await makeRule();
  expect(running('hall-motion-light')).toMatchObject({ cooldown_seconds: 600 });

  const edit = await main.ask('use 30 minutes instead of 10', turn);
  expect(edit.route).toBe('followup');
  const plan = card(edit.events);
  expect(plan).toMatchObject({ status: 'pending', edit_of: { rule_id: id, version: 1 } });
  expect(plan.diff).toEqual([{ agent: 'hall-motion-light', change: 'changed', field: 'cooldown', before: '600 s (10 min)', after: '1800 s (30 min)' }]);
  expect(edit.reply).toContain(`edit of rule ${id}`);
  expect(edit.reply).toContain('Changes from version 1 (running now):\n  ~ hall-motion-light cooldown: 600 s (10 min) → 1800 s (30 min)');
  // Nothing changes before the approval.
  expect(running('hall-motion-light')).toMatchObject({ cooldown_seconds: 600 });

  const yes = await main.ask('yes', turn);
  expect(yes.reply).toMatch(new RegExp(`^✅ Rule ${id} now runs version 2 \\(plan ${plan.id}\\)\\.`));
  expect(running('hall-motion-light')).toMatchObject({ cooldown_seconds: 1800 });
  expect(world.system.get('hall-motion-light')?.state).toBe('running');
  // Still one rule, with the same id, acting with its new version.
  expect(world.planner.rules.list().map((r) => r.id)).toEqual([id]);
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion' });
  await eventually(() => world.home.getState('light.hallway')?.state === 'on', 'the light on');

  const history = (await main.ask(`/rules history ${id}`, turn)).reply;
  expect(history).toMatch(/^Versions of Hallway light on motion \(2, newest first; ▶ runs now\):/);
  expect(history).toMatch(/▶ v2 {2}2026-01-01 12:00 UTC {2}by alex {2}"use 30 minutes instead of 10"\n {8}hall-motion-light cooldown 600 s \(10 min\) → 1800 s \(30 min\)/);
  expect(history).toMatch(/ {3}v1 {2}2026-01-01 12:00 UTC {2}by alex {2}created: "turn on the hallway light/);

  const back = await main.ask(`/rules rollback ${id} 1`, turn);
  expect(back.reply).toBe(`↩️ Rule ${id} runs version 1's agents again, recorded as version 3 ("rollback to v1").\nChanges: hall-motion-light cooldown 1800 s (30 min) → 600 s (10 min)`);
  expect(running('hall-motion-light')).toMatchObject({ cooldown_seconds: 600 });
  expect(world.system.get('hall-motion-light')?.state).toBe('running');
  const after = (await main.ask('/rules history hallway', turn)).reply;
  expect(after).toMatch(/▶ v3 {2}.* {2}by alex {2}rollback to v1\n/);
  expect(after).toContain('  v2 ');

  // Bad input: the version running now, a version that never was, a rule that is not there.
  expect((await main.ask(`/rules rollback ${id} 3`, turn)).reply).toBe(`Rule ${id} already runs version 3; nothing to roll back.`);
  expect((await main.ask(`/rules rollback ${id} 1`, turn)).reply).toBe(`That would not change rule ${id}: version 3 already has these agents.`);
  expect((await main.ask(`/rules rollback ${id} 9`, turn)).reply).toBe(`Rule ${id} has no version 9; it has versions 1 to 3 (/rules history ${id}).`);
  expect((await main.ask('/rules rollback porch 1', turn)).reply).toBe(`There is no rule porch (an id, or a word of one rule's title). /rules lists them.`);
  expect((await main.ask('/rules rollback', turn)).reply).toMatch(/^name the rule and the version: \/rules rollback <rule> <version>\nUsage:/);

  // Who may: history reads only; a rollback from a restricted channel is refused and changes nothing.
  const broker: TurnContext = { ...turn, channel: 'mqtt', conversationId: 'broker' };
  expect((await main.ask(`/rules history ${id}`, broker)).reply).toContain('▶ v3');
  expect((await main.ask(`/rules rollback ${id} 2`, broker)).reply).toMatch(/^⛔ \/rules rollback is only for the owner/);
  expect(running('hall-motion-light')).toMatchObject({ cooldown_seconds: 600 });
});

test('an edit made from a version that no longer runs is refused and closed', async () => {
  const id = await makeRule();
  const edit = card((await main.ask(`make rule ${id} use 30 minutes instead of 10`, turn)).events);
  expect(edit.edit_of).toEqual({ rule_id: id, version: 1 });
  // Meanwhile another change lands (here from the API, as the panel does).
  script = () => plan([actuator('hall-motion-light', 120, 'light.hallway')]);
  const other = await world.planner.plans.proposeEdit(id, 'use 2 minutes', { conversationId: 'panel', userId: 'alex' });
  if (other.kind !== 'proposal') throw new Error(other.text);
  expect(await world.planner.http.plans.approve(other.proposal.id, undefined as never)).toMatchObject({ status: 'approved' });
  expect(running('hall-motion-light')).toMatchObject({ cooldown_seconds: 120 });

  const yes = await main.ask('yes', turn);
  expect(yes.reply).toBe(`Rule ${id} runs version 2 now, and this change was made from version 1: nothing was changed. Ask for the change again so it is made from what runs. Plan ${edit.id} is closed.`);
  expect(world.planner.plans.get(edit.id)).toMatchObject({ status: 'rejected', reason: `rule ${id} moved on to version 2` });
  expect(running('hall-motion-light')).toMatchObject({ cooldown_seconds: 120 });
  expect(world.planner.editor.versions(id)?.versions.map((v) => v.version)).toEqual([2, 1]);
});

test('edits that name no rule, an unknown rule or two rules get a clear answer and no plan', async () => {
  // No rule at all: "instead" is not taken for an edit.
  expect((await main.ask('use 30 minutes instead of 10', turn)).route).not.toBe('followup');
  const id = await makeRule();
  script = (user) => (user.includes('front door') ? DOOR : TEN);
  const door = await makeRule('pipeline: notify me when the front door opens');
  const other: TurnContext = { ...turn, conversationId: 'phone' };
  expect((await main.ask('set the rule to 30 minutes', other)).reply).toBe(`Which rule should I change? Name it by id or by a word of its title: ${id} (Hallway light on motion), ${door} (Front door notification).`);
  expect((await main.ask('make the porch rule only after sunset', turn)).reply).toMatch(/^I found no rule called "porch", so nothing was changed\./);
  expect((await main.ask('make the hallway and front door rules quieter', turn)).reply).toBe(`That names several rules: ${id} (Hallway light on motion), ${door} (Front door notification). I change one rule at a time: say which, by id.`);
  // A typo still finds it; the planner was asked with the running plan.
  const calls = byKind({ pipeline: () => reply.text(JSON.stringify(THIRTY)) });
  world.fake.respond(calls.fn);
  const edit = await main.ask('make the halway rule use 30 minutes', other);
  expect(card(edit.events).edit_of).toEqual({ rule_id: id, version: 1 });
  expect(userOf(calls.calls[0].request)).toContain('This rule is running with this plan');
  expect(world.planner.plans.list({ status: 'pending' })).toHaveLength(1);
});

test('a replacement that cannot start leaves the running version running and records no version', async () => {
  script = () => plan([actuator('hall-motion-light', 600, 'light.hallway'), actuator('hall-motion-kitchen', 600, 'light.kitchen')]);
  const id = await makeRule();
  script = () => plan([actuator('hall-motion-light', 1800, 'light.hallway'), actuator('hall-motion-kitchen', 1800, 'light.bedroom')]);
  const edit = card((await main.ask('use 30 minutes instead of 10 and the bedroom light instead of the kitchen', turn)).events);
  expect(edit.diff?.map((c) => `${c.agent} ${c.field}`)).toEqual(['hall-motion-light cooldown', 'hall-motion-kitchen actions', 'hall-motion-kitchen cooldown', 'hall-motion-kitchen description']);
  // The bedroom light disappears from Home Assistant before the approval: the second agent cannot start.
  world.home.removeState('light.bedroom');
  await eventually(() => world.ha.getState('light.bedroom') === undefined, 'HA forgot the bedroom light');

  const yes = await main.ask('yes', turn);
  expect(yes.reply).toMatch(new RegExp(`^Rule ${id} was not changed \\(could not start hall-motion-kitchen: .*no entity light\\.bedroom.*\\); version 1 is still running\\. Plan ${edit.id} is still pending`));
  // The first agent, already swapped, is back on version 1; both run.
  expect(running('hall-motion-light')).toMatchObject({ cooldown_seconds: 600 });
  expect(running('hall-motion-kitchen')).toMatchObject({ cooldown_seconds: 600, actions: [{ target: { entity_id: ['light.kitchen'] } }] });
  expect(world.system.get('hall-motion-light')?.state).toBe('running');
  expect(world.system.get('hall-motion-kitchen')?.state).toBe('running');
  expect(world.planner.editor.versions(id)?.versions.map((v) => v.version)).toEqual([1]);
  expect(world.planner.rules.get(id)?.agents.map((a) => (a.config as { cooldown_seconds: number }).cooldown_seconds)).toEqual([600, 600]);
  expect(world.planner.plans.get(edit.id)?.status).toBe('pending');
});
