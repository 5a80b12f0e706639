// Tasks between spawned agents. `agent.sendTo` asks through the actor system; the task carries how
// many agent-to-agent hops led to it and which agents are waiting on the chain, so the sandbox's
// hop limit holds across agents and a call back into a waiting agent (A -> B -> A, which would
// wait on A's busy mailbox until the ask timed out) is refused at once with a clear error.
// The envelope is an in-process object: only agents that understand it (dynamic, llm) receive it;
// other actors get the bare payload.
// A failed handleTask answers its asker with a TaskFailed instead of failing the agent: a bad task
// is the asker's problem, not a reason to restart the agent that refused it.

const ENVELOPE = Symbol('agent task');

export interface AgentTask {
  readonly [ENVELOPE]: true;
  readonly payload: unknown;
  readonly hops: number;
  /** Names of the agents whose handleTask is waiting for this one, oldest first. */
  readonly chain: readonly string[];
}

export function wrapTask(payload: unknown, hops: number, chain: readonly string[]): AgentTask {
  return { [ENVELOPE]: true, payload, hops, chain: [...chain] };
}

export function unwrapTask(payload: unknown): { payload: unknown; hops: number; chain: readonly string[] } {
  if (isAgentTask(payload)) return { payload: payload.payload, hops: payload.hops, chain: payload.chain };
  return { payload, hops: 0, chain: [] };
}

function isAgentTask(value: unknown): value is AgentTask {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ENVELOPE] === true;
}

/** The answer to a task the agent could not do. Serialises as {error, phase} for MQTT/HTTP askers. */
export class TaskFailed {
  readonly error: string;
  readonly phase: string;
  constructor(error: string, phase = 'handleTask') {
    this.error = error;
    this.phase = phase;
  }
}

export function isTaskFailed(value: unknown): value is TaskFailed {
  return value instanceof TaskFailed;
}
