// Runs a checked task plan: creates the agents it needs, starts every step as soon as the steps
// it depends on are done (so independent steps run in parallel), hands each step the outputs of
// its dependencies, and answers a failed step directly with the LLM instead of failing the task.
import type { Clock } from '../../../core/clock.ts';
import type { LlmService } from '../../../llm/index.ts';
import type { SpawnOrigin } from '../../spawner/agent-spawner.ts';
import { validateSpawnConfig } from '../../spawn-config/validate.ts';
import { errorText, withDeadline } from '../deadline.ts';
import type { AgentDirectory, SpawnPort, StepExecutor } from '../ports.ts';
import { isDirectLlm, type TaskStep } from './task-plan.ts';

export const DEFAULT_STEP_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_CHARS = 4000;

export interface StepResult {
  step: string;
  agent: string;
  task: string;
  ok: boolean;
  /** What the step produced (its fallback answer when the agent failed). */
  output: string;
  /** agent: the agent answered; fallback: the agent failed and the LLM answered; llm: planned as a direct answer. */
  via: 'agent' | 'fallback' | 'llm';
  /** Why the agent could not answer (set for fallbacks and failures). */
  error?: string;
}

export interface TaskRunnerDeps {
  clock: Clock;
  llm: Pick<LlmService, 'complete'>;
  agents: AgentDirectory;
  spawner: SpawnPort;
  executor: StepExecutor;
  stepTimeoutMs?: number;
  /** For the ledger and spawn origins. */
  planId?: string;
}

/** The steps in dependency order (layers from checkGraph, flattened). */
export async function runTaskPlan(steps: readonly TaskStep[], deps: TaskRunnerDeps, signal: AbortSignal): Promise<StepResult[]> {
  const timeoutMs = deps.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const origin: SpawnOrigin = deps.planId ? { by: 'planner', planId: deps.planId } : { by: 'planner' };
  const spawnFailures = await ensureAgents(steps, deps, origin);
  const running = new Map<string, Promise<StepResult>>();
  for (const step of steps) {
    // Steps arrive in dependency order, so every dependency's promise exists already.
    const inputsReady = Promise.all(step.depends_on.map((d) => running.get(d) as Promise<StepResult>));
    running.set(step.step, inputsReady.then((inputs) => runStep(step, inputs, spawnFailures.get(step.agent), deps, timeoutMs, signal)));
  }
  return Promise.all(steps.map((s) => running.get(s.step) as Promise<StepResult>));
}

/** Spawns each missing agent once (several steps may share it); returns why some could not be. */
async function ensureAgents(steps: readonly TaskStep[], deps: TaskRunnerDeps, origin: SpawnOrigin): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  const wanted = new Map<string, Record<string, unknown>>();
  for (const s of steps) {
    if (isDirectLlm(s.agent) || deps.agents.isRunning(s.agent)) continue;
    if (!s.spawn_config) failures.set(s.agent, `no agent named "${s.agent}" is running`);
    else if (!wanted.has(s.agent)) wanted.set(s.agent, { name: s.agent, ...s.spawn_config });
  }
  await Promise.all(
    [...wanted].map(async ([name, raw]) => {
      const v = validateSpawnConfig(raw);
      if (!v.ok) return void failures.set(name, v.error);
      if (v.config.name !== name) return void failures.set(name, `spawn_config names "${v.config.name}", the step names "${name}"`);
      try {
        await deps.spawner.spawn(v.config, origin);
      } catch (err) {
        failures.set(name, `could not spawn ${name}: ${errorText(err)}`);
      }
    }),
  );
  return failures;
}

async function runStep(step: TaskStep, inputs: StepResult[], spawnFailure: string | undefined, deps: TaskRunnerDeps, timeoutMs: number, signal: AbortSignal): Promise<StepResult> {
  const base = { step: step.step, agent: step.agent, task: step.task };
  const inputMap = Object.fromEntries(inputs.map((r) => [r.step, r.output]));
  if (isDirectLlm(step.agent)) {
    try {
      return { ...base, ok: true, via: 'llm', output: await directAnswer(step, inputs, deps, timeoutMs, signal) };
    } catch (err) {
      return { ...base, ok: false, via: 'llm', output: '', error: errorText(err) };
    }
  }
  let failure = spawnFailure;
  if (failure === undefined) {
    try {
      const out = await withDeadline(deps.clock, timeoutMs, signal, `step "${step.step}" (${step.agent})`, (s) =>
        deps.executor.execute(step.agent, { task: step.task, inputs: inputMap, text: withInputs(step.task, inputs) }, s),
      );
      return { ...base, ok: true, via: 'agent', output: toText(out) };
    } catch (err) {
      failure = errorText(err);
    }
  }
  if (signal.aborted) return { ...base, ok: false, via: 'fallback', output: '', error: failure };
  try {
    return { ...base, ok: true, via: 'fallback', output: await directAnswer(step, inputs, deps, timeoutMs, signal), error: failure };
  } catch (err) {
    return { ...base, ok: false, via: 'fallback', output: '', error: `${failure}; the direct answer failed too: ${errorText(err)}` };
  }
}

async function directAnswer(step: TaskStep, inputs: StepResult[], deps: TaskRunnerDeps, timeoutMs: number, signal: AbortSignal): Promise<string> {
  return withDeadline(deps.clock, timeoutMs, signal, `direct answer for step "${step.step}"`, async (s) => {
    const r = await deps.llm.complete({
      callSite: 'planner',
      agent: 'planner',
      system: 'You carry out one step of a larger plan. Answer the step directly and concisely, using the inputs given. If it needs live data you cannot have, say so briefly and give your best general answer.',
      messages: [{ role: 'user', content: withInputs(step.task, inputs) }],
      signal: s,
    });
    return r.text.trim();
  });
}

function withInputs(task: string, inputs: readonly StepResult[]): string {
  const usable = inputs.filter((i) => i.ok && i.output);
  if (!usable.length) return task;
  return `${task}\n\nInputs from earlier steps:\n${usable.map((i) => `[${i.step}] ${i.output}`).join('\n')}`;
}

function toText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > MAX_OUTPUT_CHARS ? `${text.slice(0, MAX_OUTPUT_CHARS)}…` : text;
}
