// A task plan: the dependency graph of steps the LLM decomposes a task into. The schema checks
// each step; checkGraph() checks the graph (unknown dependencies, cycles) and orders it into
// layers, each layer's steps independent of one another so they run in parallel.
import { z } from 'zod';

const StepId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, { error: 'a step id is a short slug like "weather" or "step_1"' });

export const TaskStep = z.object({
  step: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), StepId),
  /** The worker agent that does it; "llm" (or an unknown agent without spawn_config) means a direct LLM answer. */
  agent: z.string().trim().min(1).max(64),
  task: z.string().trim().min(1).max(4000),
  /** A hint from the LLM; the graph decides what really runs in parallel. */
  parallel: z.boolean().default(false),
  depends_on: z.preprocess((v: unknown): unknown[] => {
    const list: unknown[] = v === undefined || v === null ? [] : Array.isArray(v) ? (v as unknown[]) : [v];
    return list.map((d) => (typeof d === 'number' ? String(d) : d));
  }, z.array(StepId)),
  /** How to create the agent when it is not running (any spawn config, validated when used). */
  spawn_config: z.record(z.string(), z.unknown()).nullish(),
});
export type TaskStep = z.infer<typeof TaskStep>;

export const TaskPlan = z.object({
  steps: z.array(TaskStep).min(1, { error: 'a plan needs at least one step' }).max(12, { error: 'a plan has at most 12 steps' }),
});
export type TaskPlan = z.infer<typeof TaskPlan>;

export type GraphCheck = { ok: true; layers: TaskStep[][] } | { ok: false; errors: string[] };

/** Unknown and self dependencies, duplicate ids and cycles; layers in dependency order when sound. */
export function checkGraph(plan: TaskPlan): GraphCheck {
  const errors: string[] = [];
  const byId = new Map<string, TaskStep>();
  for (const s of plan.steps) {
    if (byId.has(s.step)) errors.push(`two steps share the id "${s.step}"`);
    byId.set(s.step, s);
  }
  for (const s of plan.steps) {
    for (const d of s.depends_on) {
      if (d === s.step) errors.push(`step "${s.step}" depends on itself`);
      else if (!byId.has(d)) errors.push(`step "${s.step}" depends on unknown step "${d}"`);
    }
  }
  if (errors.length) return { ok: false, errors };

  const layers: TaskStep[][] = [];
  const placed = new Set<string>();
  let remaining = [...plan.steps];
  while (remaining.length) {
    const ready = remaining.filter((s) => s.depends_on.every((d) => placed.has(d)));
    if (ready.length === 0) {
      return { ok: false, errors: [`the steps ${remaining.map((s) => `"${s.step}"`).join(', ')} depend on each other in a cycle (${describeCycle(remaining)})`] };
    }
    layers.push(ready);
    for (const s of ready) placed.add(s.step);
    remaining = remaining.filter((s) => !placed.has(s.step));
  }
  return { ok: true, layers };
}

/** One cycle among the blocked steps, as "a -> b -> a", so the LLM sees what to untangle. */
function describeCycle(blocked: readonly TaskStep[]): string {
  const byId = new Map(blocked.map((s) => [s.step, s]));
  let current = blocked[0];
  const path: string[] = [];
  while (!path.includes(current.step)) {
    path.push(current.step);
    const next = current.depends_on.map((d) => byId.get(d)).find((s) => s !== undefined);
    if (!next) break;
    current = next;
  }
  const start = path.indexOf(current.step);
  return [...path.slice(start < 0 ? 0 : start), current.step].join(' -> ');
}

/** Every agent the plan relies on that it cannot create itself (the cache is invalid without them). */
export function requiredAgents(plan: TaskPlan): string[] {
  return [...new Set(plan.steps.filter((s) => !s.spawn_config && !isDirectLlm(s.agent)).map((s) => s.agent))];
}

export function isDirectLlm(agent: string): boolean {
  return /^(llm|none|main|planner|direct|self)$/i.test(agent);
}
