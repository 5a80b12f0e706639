// The prompts of task mode: decomposing a task into a step graph, and synthesising the results.
import type { WorkerAgentInfo } from '../ports.ts';
import type { StepResult } from './task-runner.ts';

export function decompositionSystem(agents: readonly WorkerAgentInfo[]): string {
  const list = agents.length
    ? agents.map((a) => `- ${a.name} (${a.type})${a.description ? `: ${a.description}` : ''}${a.capabilities.length ? ` [${a.capabilities.join(', ')}]` : ''}`).join('\n')
    : '- (no worker agents are running)';
  return `You are the planner of a multi-agent system. Decompose the user's task into a small dependency graph of steps (1-8 steps; one step is fine for a simple task).

Running worker agents:
${list}

Answer with ONE JSON object and nothing else:
{"steps": [{"step": "<short id>", "agent": "<agent name or llm>", "task": "<what this step must do>", "parallel": true|false, "depends_on": ["<step id>", ...], "spawn_config": null | {<spawn config>}}]}

Rules:
- "agent" is a running agent's exact name, or "llm" for a step you can answer directly (reasoning, writing, combining).
- A step that needs an agent which is not running may create it with "spawn_config" (type "dynamic" with JavaScript code defining handleTask(agent, payload), or type "llm" with a system_prompt); the agent's name is the step's "agent".
- Steps that do not need each other's output have no depends_on between them: they run in parallel. A step that uses another step's output lists it in depends_on and receives it as input.
- No cycles; every depends_on names a step of this plan.`;
}

export function decompositionUser(task: string, previousErrors?: readonly string[]): string {
  if (!previousErrors?.length) return `Task: ${task}`;
  return `Task: ${task}\n\nYour previous plan was rejected:\n${previousErrors.map((e) => `- ${e}`).join('\n')}\nAnswer with a corrected JSON plan.`;
}

export const SYNTHESIS_SYSTEM = 'You combine the results of the steps of a plan into one clear answer for the user. Answer the original task directly; do not describe the plan or the steps unless it helps. If a step failed, say briefly what is missing.';

export function synthesisUser(task: string, results: readonly StepResult[]): string {
  const lines = results.map((r) => {
    const status = r.ok ? (r.via === 'fallback' ? ' (answered without its agent)' : '') : ' (FAILED)';
    return `[${r.step}] ${r.task}${status}\n${r.ok ? r.output : `error: ${r.error ?? 'unknown'}`}`;
  });
  return `Original task: ${task}\n\nStep results:\n${lines.join('\n\n')}`;
}

/** What the user gets when the synthesis call itself fails: the step outputs, labelled. */
export function plainSynthesis(results: readonly StepResult[]): string {
  return results.map((r) => `**${r.step}**: ${r.ok ? r.output : `failed (${r.error ?? 'unknown error'})`}`).join('\n\n');
}
