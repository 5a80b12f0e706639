// Task mode over the real parts: steps go to real dynamic agents (sandboxed handleTask), a
// missing agent is spawned from the plan, a refusing agent's step is answered directly, the
// synthesis is the answer, the second run hits the cache, and every planner job removes itself,
// also when it runs out of time.
import { afterEach, expect, test } from 'vitest';
import { reply } from '../../helpers/fake-llm/index.ts';
import { byKind, userOf } from '../../unit/agents/planner/llm-script.ts';
import { eventually, startPlannerWorld, type PlannerWorld } from './planner-world.ts';

let world: PlannerWorld;
afterEach(async () => {
  await world.close();
});

const WEATHER = 'async function handleTask(agent, p) { return { city: "Athens", temp: 24, sky: "sunny", asked: p.task }; }';
const NEWS = 'async function handleTask(agent, p) { throw new Error("the news service is down"); }';

const PLAN = {
  steps: [
    { step: 'weather', agent: 'weather-agent', task: 'Weather in Athens', parallel: true },
    { step: 'news', agent: 'news-agent', task: 'Top AI news today', parallel: true },
    { step: 'clock', agent: 'tz-agent', task: 'Local time in Athens', parallel: true, spawn_config: { type: 'dynamic', description: 'tells the time', code: 'async function handleTask(agent, p) { return "09:00 in Athens"; }' } },
    { step: 'brief', agent: 'llm', task: 'Write a two-line morning briefing', depends_on: ['weather', 'news', 'clock'] },
  ],
};

const plannerJobs = () => world.system.list().filter((a) => a.kind === 'planner');

test('a plan runs on real agents: spawned when missing, fallback for a refusal, synthesis, then a cache hit', async () => {
  world = await startPlannerWorld();
  await world.agents.spawner.spawn({ name: 'weather-agent', type: 'dynamic', description: 'weather by city', code: WEATHER } as never, { by: 'user' });
  await world.agents.spawner.spawn({ name: 'news-agent', type: 'dynamic', description: 'AI news', code: NEWS } as never, { by: 'user' });
  const script = byKind({
    decompose: () => reply.text(JSON.stringify(PLAN)),
    direct: (r) => reply.text(userOf(r).includes('Top AI news') ? 'No live news; a new open model was the talk of the week.' : 'Sunny 24° at 09:00; AI: a new open model.'),
    synthesis: () => reply.text('Good morning! Sunny, 24° in Athens at 09:00. In AI: a new open model.'),
  });
  world.fake.respond(script.fn);

  const first = await world.planner.planner.handle({ text: 'Morning briefing: Athens weather, AI news and the time', mode: 'task' });
  if (first.kind !== 'answer') throw new Error(first.text);
  expect(first.text).toBe('Good morning! Sunny, 24° in Athens at 09:00. In AI: a new open model.');
  expect(first.cached).toBe(false);
  expect(first.steps.map((s) => [s.step, s.via, s.ok])).toEqual([['weather', 'agent', true], ['news', 'fallback', true], ['clock', 'agent', true], ['brief', 'llm', true]]);
  expect(first.steps[0].output).toContain('"temp":24');
  expect(first.steps[1].error).toContain('the news service is down');
  expect(first.steps[2].output).toBe('09:00 in Athens');
  expect(world.agents.spawner.list().find((a) => a.name === 'tz-agent')).toBeDefined();
  expect(userOf(script.calls.find((c) => c.kind === 'decompose')!.request)).toContain('Morning briefing');
  expect(JSON.stringify(script.calls.find((c) => c.kind === 'decompose')!.request.body.system)).toContain('weather-agent (dynamic): weather by city');
  expect(plannerJobs()).toEqual([]);

  const second = await world.planner.planner.handle({ text: 'morning briefing - Athens weather, AI news and the time!', mode: 'task' });
  expect(second).toMatchObject({ kind: 'answer', cached: true });
  expect(script.calls.filter((c) => c.kind === 'decompose')).toHaveLength(1);
  expect(plannerJobs()).toEqual([]);
});

test('a planner that runs out of time answers anyway, cancels its LLM call and removes itself', async () => {
  world = await startPlannerWorld(undefined, { deadlineMs: 30_000 });
  world.fake.respond(() => ({ hang: true }));
  const pending = world.planner.planner.handle({ text: 'plan: something slow', mode: 'task' });
  await world.fake.waitForRequest(1);
  expect(plannerJobs()).toHaveLength(1);
  await world.clock.advance(30_000);
  const outcome = await pending;
  expect(outcome).toEqual({ kind: 'error', text: 'The planner gave up after 30 s; nothing was left running. Try a simpler request.' });
  expect(plannerJobs()).toEqual([]);
  await eventually(() => world.fake.requests[0]?.abortedByClient === true, 'the LLM request cancelled');
});

test('@planner decides: a reactive sentence goes to pipeline mode, where the LLM may find it infeasible', async () => {
  world = await startPlannerWorld();
  const script = byKind({ pipeline: () => reply.text('{"feasible": false, "reason": "the hallway has no speaker"}') });
  world.fake.respond(script.fn);
  const r = await world.planner.planner.handle({ text: 'whenever motion is detected in the hallway, play a chime', mode: 'auto' });
  expect(r).toEqual({ kind: 'refused', text: "I can't set that up: the hallway has no speaker", errors: ['the hallway has no speaker'] });
  expect(script.calls.map((c) => c.kind)).toEqual(['pipeline']);
});
