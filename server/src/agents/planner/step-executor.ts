// Hands a task step to a worker agent through the actor system (an ask with a fresh correlation
// id), and turns an agent's refusal (TaskFailed from a dynamic agent's handleTask) into an error
// so the step falls back to a direct answer.
import type { ActorSystem } from '../../core/system.ts';
import { isTaskFailed } from '../dynamic/agent-task.ts';
import type { StepExecutor, StepRequest } from './ports.ts';

export class SystemStepExecutor implements StepExecutor {
  readonly #system: ActorSystem;
  readonly #timeoutMs: number;

  constructor(system: ActorSystem, timeoutMs = 120_000) {
    this.#system = system;
    this.#timeoutMs = timeoutMs;
  }

  async execute(agent: string, request: StepRequest, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    // The step's own deadline (task-runner) is shorter; this bound only keeps no ask pending forever.
    const answer = await this.#system.ask(agent, { task: request.task, inputs: request.inputs, text: request.text }, { timeoutMs: this.#timeoutMs });
    if (isTaskFailed(answer)) throw new Error(`${agent} could not do it: ${answer.error}`);
    if (answer !== null && typeof answer === 'object' && 'error' in answer && Object.keys(answer).length <= 2 && typeof answer.error === 'string') {
      throw new Error(`${agent} answered with an error: ${answer.error}`);
    }
    return answer;
  }
}
