// Task mode with a scripted LLM (the real LLM service against the fake Anthropic server): steps
// without dependencies run at the same time, dependent steps get their inputs, a failing or
// timed-out step is answered directly, the results are synthesised, and a repeat of the task is
// planned from the cache without asking the LLM again.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { createLlm, type LlmService } from '../../../../server/src/llm/index.ts';
import type { AgentDirectory, LiveState, SpawnPort, StepExecutor, StepRequest } from '../../../../server/src/agents/planner/ports.ts';
import { PlanCache } from '../../../../server/src/agents/planner/task/plan-cache.ts';
import { runTask, type TaskPlannerDeps } from '../../../../server/src/agents/planner/task/task-planner.ts';
import type { SpawnConfig } from '../../../../server/src/agents/spawn-config/config-schema.ts';
import type { SpawnOrigin } from '../../../../server/src/agents/spawner/agent-spawner.ts';
import { openDatabase, type Db } from '../../../../server/src/store/database.ts';
import { fakeLlmConfig, reply, startFakeLlm, type FakeLlmServer } from '../../../helpers/fake-llm/index.ts';
import { byKind, userOf } from './llm-script.ts';

let fake: FakeLlmServer;
let db: Db;
let llm: LlmService;
const clock = new ManualClock();

beforeEach(async () => {
  fake = await startFakeLlm();
  db = openDatabase({ dataDir: ':memory:' });
  llm = createLlm(fakeLlmConfig(fake, 'anthropic'), { db, clock, sleep: async () => {} });
});
afterEach(async () => {
  await fake.close();
  db.close();
});

/** Worker agents as a test double: each step's agent answers through `answer`, once released. */
class Workers implements AgentDirectory, StepExecutor {
  readonly running = new Set(['weather-agent', 'news-agent']);
  readonly started: { agent: string; request: StepRequest }[] = [];
  readonly gates = new Map<string, { promise: Promise<void>; open: () => void }>();
  answer: (agent: string, request: StepRequest) => unknown = (agent) => `${agent} answer`;

  gate(agent: string): void {
    let open!: () => void;
    const promise = new Promise<void>((r) => (open = r));
    this.gates.set(agent, { promise, open });
  }

  list() {
    return [...this.running].map((name) => ({ name, type: 'dynamic', description: `${name} (test)`, capabilities: [] }));
  }
  isRunning(name: string) {
    return this.running.has(name);
  }
  state(name: string): LiveState {
    return this.running.has(name) ? 'running' : 'missing';
  }
  async stop() {
    return false;
  }
  async execute(agent: string, request: StepRequest, signal: AbortSignal): Promise<unknown> {
    this.started.push({ agent, request });
    await this.gates.get(agent)?.promise;
    signal.throwIfAborted();
    return this.answer(agent, request);
  }
}

class Spawns implements SpawnPort {
  readonly spawned: { config: SpawnConfig; origin: SpawnOrigin }[] = [];
  readonly workers: Workers;
  constructor(workers: Workers) {
    this.workers = workers;
  }
  async spawn(config: SpawnConfig, origin: SpawnOrigin) {
    this.spawned.push({ config, origin });
    this.workers.running.add(config.name);
    return { status: 'spawned' as const, id: config.name, name: config.name, type: config.type, warnings: [] };
  }
  async delete() {
    return true;
  }
  list() {
    return [];
  }
}

function deps(workers: Workers, extra: Partial<TaskPlannerDeps> = {}): TaskPlannerDeps {
  return { clock, llm, agents: workers, executor: workers, spawner: new Spawns(workers), cache: new PlanCache(db, () => clock.now()), ...extra };
}

const PLAN = JSON.stringify({
  steps: [
    { step: 'weather', agent: 'weather-agent', task: 'Get the weather in Athens', parallel: true },
    { step: 'news', agent: 'news-agent', task: 'Find AI news', parallel: true },
    { step: 'combine', agent: 'llm', task: 'Write a morning briefing', depends_on: ['weather', 'news'] },
  ],
});

test('independent steps run in parallel, the dependent step gets both outputs, the answer is the synthesis', async () => {
  const workers = new Workers();
  workers.gate('weather-agent');
  workers.gate('news-agent');
  const script = byKind({
    decompose: () => reply.text(`\`\`\`json\n${PLAN}\n\`\`\``),
    direct: () => reply.text('Sunny, and a new model shipped.'),
    synthesis: () => reply.text('Good morning: sunny in Athens; AI news: a new model shipped.'),
  });
  fake.respond(script.fn);
  const answer = runTask('Get the weather in Athens and the AI news, then a briefing', deps(workers), new AbortController().signal);
  // Both workers are asked before either has answered: they run at the same time.
  await until(() => workers.started.length === 2);
  expect(workers.started.map((s) => s.agent).sort()).toEqual(['news-agent', 'weather-agent']);
  workers.answer = (agent) => (agent === 'weather-agent' ? { temp: 24, sky: 'sunny' } : 'A new model shipped');
  workers.gates.get('news-agent')?.open();
  workers.gates.get('weather-agent')?.open();
  const result = await answer;

  expect(result.text).toBe('Good morning: sunny in Athens; AI news: a new model shipped.');
  expect(result.cached).toBe(false);
  expect(result.steps.map((s) => [s.step, s.ok, s.via])).toEqual([['weather', true, 'agent'], ['news', true, 'agent'], ['combine', true, 'llm']]);
  const direct = script.calls.find((c) => c.kind === 'direct');
  expect(userOf(direct!.request)).toContain('[weather] {\\"temp\\":24,\\"sky\\":\\"sunny\\"}');
  expect(userOf(direct!.request)).toContain('[news] A new model shipped');
  const synthesis = script.calls.find((c) => c.kind === 'synthesis');
  expect(userOf(synthesis!.request)).toContain('Original task: Get the weather in Athens');
  expect(llm.ledger.report({ period: 'all', callSite: 'planner' }).totals.calls).toBe(3);
});

test('a step whose agent fails is answered directly by the LLM, and the synthesis says so', async () => {
  const workers = new Workers();
  workers.answer = (agent) => {
    if (agent === 'news-agent') throw new Error('news API down');
    return 'sunny';
  };
  const script = byKind({
    decompose: () => reply.text(PLAN),
    direct: (r) => reply.text(userOf(r).includes('Find AI news') ? 'From memory: models keep improving.' : 'Briefing: sunny; models keep improving.'),
    synthesis: () => reply.text('Briefing done.'),
  });
  fake.respond(script.fn);
  const result = await runTask('briefing please', deps(workers), new AbortController().signal);
  const news = result.steps.find((s) => s.step === 'news');
  expect(news).toMatchObject({ ok: true, via: 'fallback', output: 'From memory: models keep improving.', error: 'news API down' });
  expect(userOf(script.calls.find((c) => c.kind === 'synthesis')!.request)).toContain('(answered without its agent)');
  expect(result.text).toBe('Briefing done.');
});

test('a step that outlives its timeout falls back; the plan still finishes', async () => {
  const workers = new Workers();
  workers.gate('news-agent'); // never opened: the agent hangs
  fake.respond(byKind({ decompose: () => reply.text(PLAN), direct: () => reply.text('fallback text'), synthesis: () => reply.text('done anyway') }).fn);
  const answer = runTask('briefing', deps(workers, { stepTimeoutMs: 5_000 }), new AbortController().signal);
  await until(() => workers.started.length === 2);
  await clock.advance(5_000);
  const result = await answer;
  expect(result.steps.find((s) => s.step === 'news')).toMatchObject({ via: 'fallback', ok: true, error: 'step "news" (news-agent) took longer than 5 s' });
  expect(result.text).toBe('done anyway');
});

test('a repeat of the task hits the cache: no decomposition call the second time', async () => {
  const workers = new Workers();
  const script = byKind({ decompose: () => reply.text(PLAN), direct: () => reply.text('x'), synthesis: () => reply.text('answer') });
  fake.respond(script.fn);
  const d = deps(workers);
  const first = await runTask('Weather and news, please!', d, new AbortController().signal);
  const second = await runTask('weather and news please', d, new AbortController().signal);
  expect(first.cached).toBe(false);
  expect(second.cached).toBe(true);
  expect(script.calls.filter((c) => c.kind === 'decompose')).toHaveLength(1);
  expect(second.steps.map((s) => s.step)).toEqual(['weather', 'news', 'combine']);
});

test('the cache is not used once an agent the plan needs is gone', async () => {
  const workers = new Workers();
  const script = byKind({ decompose: () => reply.text(PLAN), direct: () => reply.text('x'), synthesis: () => reply.text('answer') });
  fake.respond(script.fn);
  const d = deps(workers);
  await runTask('weather and news', d, new AbortController().signal);
  workers.running.delete('news-agent');
  const again = await runTask('weather and news', d, new AbortController().signal);
  expect(again.cached).toBe(false);
  expect(script.calls.filter((c) => c.kind === 'decompose')).toHaveLength(2);
});

test('a missing agent with a spawn_config is spawned first, with the planner as origin', async () => {
  const workers = new Workers();
  const spawns = new Spawns(workers);
  const plan = { steps: [{ step: 'tz', agent: 'tz-agent', task: 'time in Tokyo', spawn_config: { type: 'dynamic', code: 'async function handleTask(agent, p) { return "09:00"; }' } }] };
  fake.respond(byKind({ decompose: () => reply.text(JSON.stringify(plan)) }).fn);
  const result = await runTask('time in tokyo', deps(workers, { spawner: spawns }), new AbortController().signal, 'planner-x');
  expect(spawns.spawned).toHaveLength(1);
  expect(spawns.spawned[0]).toMatchObject({ config: { name: 'tz-agent', type: 'dynamic' }, origin: { by: 'planner', planId: 'planner-x' } });
  expect(result.text).toBe('tz-agent answer');
});

test('an invalid plan goes back to the LLM once with the errors; a second failure answers directly', async () => {
  const workers = new Workers();
  let decompositions = 0;
  const script = byKind({
    decompose: () => (++decompositions === 1 ? reply.text('{"steps": [{"step": "a", "agent": "llm", "task": "x", "depends_on": ["a"]}]}') : reply.text('{"steps": [{"step": "a", "agent": "llm", "task": "x", "depends_on": ["b"]}, {"step": "b", "agent": "llm", "task": "y", "depends_on": ["a"]}]}')),
    direct: () => reply.text('the direct answer'),
  });
  fake.respond(script.fn);
  const result = await runTask('something odd', deps(workers), new AbortController().signal);
  expect(userOf(script.calls[1].request)).toContain('step \\"a\\" depends on itself');
  expect(result.text).toBe('the direct answer');
  expect(result.steps).toHaveLength(1);
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!check()) throw new Error('condition never held');
}
