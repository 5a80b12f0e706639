// "notify me when the garage door is open for more than 10 minutes" from sentence to notification:
// the planner's prompt offers for_seconds, the scripted plan uses it, validation passes it (and
// refuses a hold with nothing to hold), the proposal is approved, and the rule notifies once the
// door has been open ten minutes, across a restart of the add-on in the middle of the wait.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { reply } from '../../helpers/fake-llm/index.ts';
import { byKind, systemOf } from '../../unit/agents/planner/llm-script.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';

let world: PlannerWorld;
const ctx = { conversationId: 'c1', userId: 'alex' };

beforeEach(async () => {
  world = await startPlannerWorld();
});
afterEach(async () => {
  await world.close();
});

const GARAGE_OPEN_10 = {
  pattern: 'ha_sensor_notification',
  title: 'Garage door left open',
  summary: 'Notifies the phone when the garage door has been open for more than 10 minutes.',
  agents: [{
    name: 'garage-open-notify',
    description: 'Notifies mobile_app_phone when cover.garage_door stays open 10 minutes',
    spawn_config: {
      type: 'ha_actuator',
      mqtt_topics: ['ha/state_changes/cover/cover.garage_door'],
      detection_filter: { 'new_state.state': 'open' },
      for: '00:10:00',
      actions: [{ service: 'notify.mobile_app_phone', data: { title: 'Home', message: 'The garage door has been open for 10 minutes' } }],
    },
  }],
};

async function propose(plan: unknown) {
  const script = byKind({ pipeline: () => reply.text(JSON.stringify(plan)) });
  world.fake.respond(script.fn);
  const proposed = await world.planner.planner.handle({ text: 'notify me when the garage door is open for more than 10 minutes', mode: 'pipeline', ...ctx });
  return { proposed, prompt: systemOf(script.calls[0].request) };
}

test('planned with for_seconds, approved, and notifying once the door stayed open ten minutes, across a restart', async () => {
  world.home.setState('cover.garage_door', 'closed', { device_class: 'garage' });
  const { proposed, prompt } = await propose(GARAGE_OPEN_10);
  // (Quote-free: the system prompt may arrive as a JSON-encoded list of blocks.)
  expect(prompt).toMatch(/A state that must LAST \(.+open for more than 10 minutes.+add .+for_seconds.+:600 and filter on/);
  if (proposed.kind !== 'proposal') throw new Error(`expected a proposal: ${proposed.text}`);
  expect(proposed.proposal.validation.errors).toEqual([]);
  expect(proposed.proposal.plan.agents[0]?.config).toMatchObject({ type: 'ha_actuator', for_seconds: 600 });
  const approved = await world.planner.plans.handleReply('yes', ctx);
  if (approved?.kind !== 'rule') throw new Error(`expected a rule: ${approved?.text}`);
  const ruleId = approved.rule.id;
  const traces = () => (world.planner.rules.traces(ruleId) ?? []).map((t) => t.outcome);
  // The approval re-publishes the present (closed): filtered out, nothing waits.
  await eventually(() => traces().length === 1, 'the present evaluated');

  world.home.setState('cover.garage_door', 'open', { device_class: 'garage' });
  await eventually(() => traces()[0] === 'pending', 'the wait started');
  await world.clock.advance(4 * 60_000);
  expect(world.home.notifications()).toEqual([]);
  await world.restart();
  await world.clock.advance(6 * 60_000);
  await eventually(() => world.home.notifications().length === 1, 'the notification');
  expect(world.home.notifications()[0]).toMatchObject({ service: 'notify.mobile_app_phone', message: 'The garage door has been open for 10 minutes' });
  await eventually(() => traces()[0] === 'acted', 'the firing traced');
  await world.clock.advance(30 * 60_000);
  expect(world.home.notifications()).toHaveLength(1);
});

test('a hold with no state to hold fails validation, saying what to filter on', async () => {
  const plan = structuredClone(GARAGE_OPEN_10);
  (plan.agents[0].spawn_config as Record<string, unknown>).detection_filter = { 'old_state.state': 'closed' };
  const { proposed } = await propose(plan);
  if (proposed.kind !== 'proposal') throw new Error(`expected a proposal: ${proposed.text}`);
  expect(proposed.proposal.validation.ok).toBe(false);
  expect(proposed.proposal.validation.errors.map((e) => e.message)).toContain('for_seconds 600 needs a detection_filter on the state that must hold, e.g. {"new_state.state": "open"}');
});
