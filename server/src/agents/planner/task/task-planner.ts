// Task mode end to end: plan (from the cache when the same task came within 24 h), run the graph,
// synthesise one answer. Every LLM call and step has a time limit and a fallback, so this always
// settles with an answer, even if a degraded one.
import type { Clock } from '../../../core/clock.ts';
import type { LlmService } from '../../../llm/index.ts';
import { errorText, withDeadline } from '../deadline.ts';
import { formatZodIssues, readLlmJson } from '../llm-json.ts';
import type { AgentDirectory, SpawnPort, StepExecutor } from '../ports.ts';
import type { PlanCache } from './plan-cache.ts';
import { checkGraph, requiredAgents, TaskPlan, type TaskStep } from './task-plan.ts';
import { decompositionSystem, decompositionUser, plainSynthesis, SYNTHESIS_SYSTEM, synthesisUser } from './task-prompt.ts';
import { runTaskPlan, type StepResult } from './task-runner.ts';

export interface TaskPlannerDeps {
  clock: Clock;
  llm: Pick<LlmService, 'complete'>;
  agents: AgentDirectory;
  spawner: SpawnPort;
  executor: StepExecutor;
  cache: PlanCache;
  stepTimeoutMs?: number;
  llmTimeoutMs?: number;
}

export interface TaskAnswer {
  text: string;
  steps: StepResult[];
  cached: boolean;
  plan: TaskPlan;
}

const DEFAULT_LLM_TIMEOUT_MS = 90_000;

export async function runTask(task: string, deps: TaskPlannerDeps, signal: AbortSignal, planId?: string): Promise<TaskAnswer> {
  const llmTimeout = deps.llmTimeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const cached = deps.cache.lookup(task, (name) => deps.agents.isRunning(name));
  let plan: TaskPlan;
  let steps: TaskStep[];
  if (cached.status === 'hit') {
    plan = cached.plan;
    const graph = checkGraph(plan);
    steps = graph.ok ? graph.layers.flat() : fallbackPlan(task).steps;
  } else {
    const made = await decompose(task, deps, llmTimeout, signal);
    plan = made.plan;
    steps = made.steps;
    if (made.valid) deps.cache.save(task, plan, requiredAgents(plan));
  }
  const results = await runTaskPlan(steps, { ...deps, ...(planId ? { planId } : {}) }, signal);
  const text = await synthesise(task, results, deps, llmTimeout, signal);
  return { text, steps: results, cached: cached.status === 'hit', plan };
}

/** Asks for a plan, and once more with the errors if it is invalid; a single direct step otherwise. */
async function decompose(task: string, deps: TaskPlannerDeps, timeoutMs: number, signal: AbortSignal): Promise<{ plan: TaskPlan; steps: TaskStep[]; valid: boolean }> {
  let errors: string[] | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    let text: string;
    try {
      text = await withDeadline(deps.clock, timeoutMs, signal, 'planning', async (s) =>
        (await deps.llm.complete({ callSite: 'planner', agent: 'planner', system: decompositionSystem(deps.agents.list()), messages: [{ role: 'user', content: decompositionUser(task, errors) }], signal: s })).text,
      );
    } catch {
      break;
    }
    const parsed = parsePlan(text);
    if (parsed.ok) return { plan: parsed.plan, steps: parsed.steps, valid: true };
    errors = parsed.errors;
  }
  const plan = fallbackPlan(task);
  return { plan, steps: plan.steps, valid: false };
}

export function parsePlan(text: string): { ok: true; plan: TaskPlan; steps: TaskStep[] } | { ok: false; errors: string[] } {
  const json = readLlmJson(text);
  if (!json.ok) return { ok: false, errors: [json.error] };
  const value = Array.isArray(json.value) ? { steps: json.value } : json.value;
  const plan = TaskPlan.safeParse(value);
  if (!plan.success) return { ok: false, errors: formatZodIssues(plan.error.issues) };
  const graph = checkGraph(plan.data);
  if (!graph.ok) return { ok: false, errors: graph.errors };
  return { ok: true, plan: plan.data, steps: graph.layers.flat() };
}

/** When no usable plan comes: the task as one direct step, so the user still gets an answer. */
function fallbackPlan(task: string): TaskPlan {
  return { steps: [{ step: 'answer', agent: 'llm', task, parallel: false, depends_on: [], spawn_config: null }] };
}

async function synthesise(task: string, results: StepResult[], deps: TaskPlannerDeps, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const only = results.length === 1 ? results[0] : undefined;
  if (only?.ok) return only.output;
  try {
    return await withDeadline(deps.clock, timeoutMs, signal, 'synthesis', async (s) =>
      (await deps.llm.complete({ callSite: 'planner', agent: 'planner', system: SYNTHESIS_SYSTEM, messages: [{ role: 'user', content: synthesisUser(task, results) }], signal: s })).text.trim(),
    );
  } catch (err) {
    const note = signal.aborted ? 'The plan ran out of time' : `Combining the results failed (${errorText(err)})`;
    return `${note}; here is what the steps produced:\n\n${plainSynthesis(results)}`;
  }
}
