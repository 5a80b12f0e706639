// The task graph: the schema reads what LLMs write (numeric ids, a lone dependency), the graph
// check names unknown dependencies and cycles, and layers order independent steps together.
import { expect, test } from 'vitest';
import { checkGraph, requiredAgents, TaskPlan } from '../../../../server/src/agents/planner/task/task-plan.ts';
import { parsePlan } from '../../../../server/src/agents/planner/task/task-planner.ts';

const plan = (steps: unknown[]) => TaskPlan.parse({ steps });

test('independent steps share the first layer; a step that needs both comes after them', () => {
  const g = checkGraph(plan([
    { step: 'weather', agent: 'weather-agent', task: 'weather in Athens', parallel: true },
    { step: 'news', agent: 'news-agent', task: 'AI news', parallel: true },
    { step: 'combine', agent: 'llm', task: 'combine', depends_on: ['weather', 'news'] },
  ]));
  if (!g.ok) throw new Error(g.errors.join());
  expect(g.layers.map((l) => l.map((s) => s.step))).toEqual([['weather', 'news'], ['combine']]);
});

test('numeric ids and a single dependency written as a scalar are accepted', () => {
  const p = plan([{ step: 1, agent: 'llm', task: 'a' }, { step: 2, agent: 'llm', task: 'b', depends_on: 1 }]);
  expect(p.steps.map((s) => [s.step, s.depends_on])).toEqual([['1', []], ['2', ['1']]]);
});

test('unknown dependencies, self-dependencies and duplicate ids are named', () => {
  const g = checkGraph(plan([
    { step: 'a', agent: 'llm', task: 'x', depends_on: ['ghost'] },
    { step: 'b', agent: 'llm', task: 'y', depends_on: ['b'] },
    { step: 'a', agent: 'llm', task: 'z' },
  ]));
  expect(g).toEqual({ ok: false, errors: ['two steps share the id "a"', 'step "a" depends on unknown step "ghost"', 'step "b" depends on itself'] });
});

test('a cycle is reported with its path', () => {
  const g = checkGraph(plan([
    { step: 'start', agent: 'llm', task: 'x' },
    { step: 'a', agent: 'llm', task: 'x', depends_on: ['start', 'c'] },
    { step: 'b', agent: 'llm', task: 'x', depends_on: ['a'] },
    { step: 'c', agent: 'llm', task: 'x', depends_on: ['b'] },
  ]));
  expect(g.ok).toBe(false);
  if (g.ok) return;
  expect(g.errors[0]).toContain('"a", "b", "c" depend on each other in a cycle');
  expect(g.errors[0]).toMatch(/a -> c -> b -> a|b -> a -> c -> b|c -> b -> a -> c/);
});

test('required agents are the ones the plan cannot create itself', () => {
  const p = plan([
    { step: 'w', agent: 'weather-agent', task: 'x' },
    { step: 'n', agent: 'news-agent', task: 'y', spawn_config: { type: 'dynamic', code: 'async function handleTask(){}' } },
    { step: 'c', agent: 'llm', task: 'z', depends_on: ['w', 'n'] },
  ]);
  expect(requiredAgents(p)).toEqual(['weather-agent']);
});

test('parsePlan reads fenced JSON with prose around it, and reports schema and graph errors', () => {
  const ok = parsePlan('Here is the plan:\n```json\n{"steps": [{"step": "a", "agent": "llm", "task": "say hi"}]}\n```\nDone.');
  expect(ok.ok).toBe(true);
  expect(parsePlan('{"steps": []}')).toEqual({ ok: false, errors: ['steps: a plan needs at least one step'] });
  expect(parsePlan('{"steps": [{"step": "a", "agent": "llm", "task": "x", "depends_on": ["zzz"]}]}')).toEqual({ ok: false, errors: ['step "a" depends on unknown step "zzz"'] });
  expect(parsePlan('no json at all').ok).toBe(false);
});
