// "Why didn't the porch rule fire?" answered in chat from the traces, sentence to answer, with the
// default one-call routing (main calls explain_rule) and with the classifier (RULES): three rules
// over the real parts, one that fired, one whose condition was false, one that never received
// anything at the time asked. The scripted model answers from the summary it is handed; the test
// checks what it was handed and the reply the person reads.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Orchestrator } from '../../../server/src/agents/main/orchestrator.ts';
import { CLASSIFIER_SYSTEM } from '../../../server/src/agents/main/routing/classifier.ts';
import type { TurnContext } from '../../../server/src/agents/main/turn-context.ts';
import { formatTime } from '../../../server/src/agents/planner/rules/rule-format.ts';
import { EXPLAIN_SYSTEM, explainRule } from '../../../server/src/agents/planner/traces/explain.ts';
import { reply, type FakeReply, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { systemOf } from '../../unit/agents/planner/llm-script.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';
import { P1_MOTION_LIGHT } from './plans.ts';

let world: PlannerWorld;
const owner: TurnContext = { user: { id: 'alex', name: 'Alex' }, channel: 'test', conversationId: 'kitchen-tablet' };
const ids = { hallway: '', porch: '', garage: '' };

const PORCH_AFTER_SUNSET = {
  pattern: 'ha_sensor_action',
  title: 'Porch light after sunset',
  summary: 'Turns on the kitchen light when the front door opens after sunset.',
  agents: [{
    name: 'porch-light',
    description: 'Front door opens, sun down: light.kitchen on',
    spawn_config: {
      type: 'ha_actuator',
      mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'],
      detection_filter: { 'new_state.state': 'on' },
      conditions: [{ entity_id: 'sun.sun', state: 'below_horizon' }],
      actions: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.kitchen'] } }],
    },
  }],
};

const GARAGE_ALERT = {
  pattern: 'ha_sensor_notification',
  title: 'Garage door alert',
  summary: 'Notifies the phone when the garage door opens.',
  agents: [{
    name: 'garage-alert',
    description: 'Notifies mobile_app_phone when cover.garage_door opens',
    spawn_config: {
      type: 'ha_actuator',
      mqtt_topics: ['ha/state_changes/cover/cover.garage_door'],
      detection_filter: { 'new_state.state': 'open' },
      actions: [{ service: 'notify.mobile_app_phone', data: { title: 'Home', message: 'The garage door opened' } }],
    },
  }],
};

const evaluations = (id: string) => world.planner.rules.traces(id) ?? [];
const hhmm = (ms: number) => formatTime(ms, world.ha.config()?.time_zone).slice(11);

/** Three rules: the hallway one fired, the porch one met a false condition; the garage one heard nothing since its start. */
async function threeRules(): Promise<{ firedAt: number; quietAt: number }> {
  world.home.setState('sun.sun', 'above_horizon');
  world.home.setState('cover.garage_door', 'closed', { device_class: 'garage' });
  await eventually(() => world.ha.getState('sun.sun')?.state === 'above_horizon', 'the sun up in the cache');
  ids.hallway = await world.deployRule(P1_MOTION_LIGHT, 'turn on the hallway light when motion is detected');
  ids.porch = await world.deployRule(PORCH_AFTER_SUNSET, 'turn on the porch light when the front door opens after sunset');
  ids.garage = await world.deployRule(GARAGE_ALERT, 'notify me when the garage door opens');
  await eventually(() => [ids.hallway, ids.porch, ids.garage].every((id) => evaluations(id).length === 1), 'the present evaluated');
  await world.clock.advance(2 * 3_600_000);
  const firedAt = world.clock.now();
  world.home.setState('binary_sensor.hallway_motion', 'on', { device_class: 'motion' });
  world.home.setState('binary_sensor.front_door', 'on', { device_class: 'door' });
  await eventually(() => evaluations(ids.hallway).some((t) => t.outcome === 'acted') && evaluations(ids.porch).some((t) => t.outcome === 'condition_false'), 'both evaluated');
  return { firedAt, quietAt: firedAt - 3_600_000 };
}

// By the prompts' first words: a provider may send the system prompt as a list of blocks.
const isClassifier = (r: FakeRequest) => systemOf(r).includes(CLASSIFIER_SYSTEM.slice(0, 40));
const isExplainer = (r: FakeRequest) => systemOf(r).includes(EXPLAIN_SYSTEM.slice(0, 60));

/** The newest thing the person said (the history before it mentions other rules). */
function lastUser(r: FakeRequest): string {
  const messages = (r.body.messages ?? []) as { role: string; content: string | { type: string; text?: string }[] }[];
  for (const m of [...messages].reverse()) {
    if (m.role !== 'user') continue;
    const text = typeof m.content === 'string' ? m.content : m.content.filter((p) => p.type === 'text').map((p) => p.text ?? '').join('');
    if (text) return text;
  }
  return '';
}

/** The model: main's turn calls explain_rule (tools routing), the classifier says RULES, the explainer answers from the summary. */
function model(explained: string[]) {
  return (r: FakeRequest): FakeReply => {
    if (isClassifier(r)) return reply.text('RULES');
    if (isExplainer(r)) {
      const content = (r.body.messages as { content: string | { text?: string }[] }[])[0]?.content ?? '';
      const summary = typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('');
      explained.push(summary);
      // Answers with the line of the summary that decides, as a model reading it would.
      const decisive = /stopped by .+|no evaluation between \S+ \S+ and \S+ \S+(?=:)|\d\d:\d\d:\d\d hall-motion-light \[trigger\] acted/.exec(summary)?.[0] ?? 'nothing';
      return reply.text(`From the traces: ${decisive}.`);
    }
    const asked = lastUser(r);
    const rule = ['porch', 'garage', 'hallway'].find((w) => asked.includes(w)) ?? 'hallway';
    const time = /\d\d:\d\d/.exec(asked)?.[0];
    return reply.tool('explain_rule', { rule, ...(time ? { time } : {}) });
  };
}

function orchestrator(routing: 'tools' | 'classifier'): Orchestrator {
  return world.chatOrchestrator({
    routing,
    intents: {
      actuateCalls: async () => ({ text: 'done', agent: 'one-off-actuator' }),
      homeContext: () => ({ map: '', areas: [] }),
      explainRule: (question, ctx, args) => explainRule({ rules: world.planner.rules, clock: world.clock, llm: world.llm, timezone: () => world.ha.config()?.time_zone }, question, ctx, args),
    },
  });
}

beforeEach(async () => {
  world = await startPlannerWorld();
});
afterEach(async () => {
  await world.close();
});

describe.each(['tools', 'classifier'] as const)('explained in chat, %s routing', (routing) => {
  test('a rule that fired, one whose condition was false, one that never received anything', async () => {
    const { firedAt, quietAt } = await threeRules();
    const main = orchestrator(routing);
    const explained: string[] = [];
    world.fake.respond(model(explained));
    try {
      const hallway = await main.ask('when did the hallway rule last run?', owner);
      expect(hallway.route).toBe('pipeline');
      expect(explained[0]).toContain(`Trace summary of rule ${ids.hallway} (Hallway light on motion):`);
      expect(explained[0]).toContain('hall-motion-light [trigger] acted');
      expect(explained[0]).toContain('✓ action light.turn_on light.hallway: HA answered ok');
      expect(hallway.reply).toBe(`From the traces: ${hhmm(firedAt)}:00 hall-motion-light [trigger] acted.`);

      const porch = await main.ask(`why didn't the porch rule fire at ${hhmm(firedAt)}?`, owner);
      expect(explained[1]).toContain(`Rule ${ids.porch} (Porch light after sunset): 1 evaluation between`);
      expect(explained[1]).toContain('porch-light [trigger] condition false');
      expect(porch.reply).toBe('From the traces: stopped by condition sun.sun (sun.sun is "above_horizon", the rule wants eq "below_horizon").');

      const garage = await main.ask(`why didn't the garage rule fire at ${hhmm(quietAt)}?`, owner);
      expect(explained[2]).toContain('no evaluation between');
      expect(explained[2]).toContain('nothing arrived on its trigger topics (ha/state_changes/cover/cover.garage_door)');
      expect(explained[2]).toMatch(/What the state bridge saw:\n {2}cover\.garage_door: no (change|history) in that window; now "closed", last changed/);
      expect(garage.reply).toMatch(/^From the traces: no evaluation between [\d-]+ \d\d:\d\d and [\d-]+ \d\d:\d\d\.$/);
      // One explaining call per question; the tools routing asks main once more per question, the classifier once.
      expect(explained).toHaveLength(3);
    } finally {
      await main.stop();
    }
  });
});

test('a restricted channel is refused, and a question naming no rule goes on to main', async () => {
  await threeRules();
  const main = orchestrator('classifier');
  const explained: string[] = [];
  world.fake.respond((r) => (isClassifier(r) ? reply.text('RULES') : isExplainer(r) ? (explained.push('x'), reply.text('x')) : reply.text('Happy to help.')));
  try {
    const mqtt = await main.ask('why did the porch rule not fire?', { ...owner, channel: 'mqtt', user: { id: 'broker' } });
    expect(mqtt.reply).not.toContain('porch-light');
    const none = await main.ask('why did my bathroom automation not run?', owner);
    expect(none.reply).toBe('Happy to help.');
    expect(explained).toEqual([]);
  } finally {
    await main.stop();
  }
});

test('without a model the summary itself is the answer', async () => {
  await threeRules();
  const a = await explainRule({ rules: world.planner.rules, clock: world.clock, timezone: () => world.ha.config()?.time_zone }, 'what did the hallway rule do today?', { turn: owner, signal: new AbortController().signal, emit: () => undefined });
  expect(a.text).toBe(a.summary);
  expect(a.text).toMatch(new RegExp(`^Rule ${ids.hallway} \\(Hallway light on motion\\): 2 evaluations between [\\d-]+ 00:00 and [\\d-]+ \\d\\d:\\d\\d, 1 acted`));
});
