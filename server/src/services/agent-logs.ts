// The newest log lines per agent, kept from agents/{id}/logs so the Agents view is not empty
// before live lines arrive. Bounded per agent and in the number of agents it remembers.
import type { Bus, Unsubscribe } from '../bus/bus.ts';
import type { AgentLogLine } from '../contract/agents.ts';

export class AgentLogBuffer {
  readonly #lines = new Map<string, AgentLogLine[]>();
  readonly #perAgent: number;
  readonly #maxAgents: number;
  #unsubscribe: Unsubscribe | undefined;

  constructor(perAgent = 50, maxAgents = 1000) {
    this.#perAgent = perAgent;
    this.#maxAgents = maxAgents;
  }

  start(bus: Bus): void {
    this.#unsubscribe = bus.subscribe('agentLogs', {}, (payload, params) => {
      this.add(params.id, { at: new Date(payload.ts ?? Date.now()).toISOString(), level: payload.level, message: payload.message });
    }, this);
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  add(agentId: string, line: AgentLogLine): void {
    let lines = this.#lines.get(agentId);
    if (!lines) {
      if (this.#lines.size >= this.#maxAgents) this.#lines.delete(this.#lines.keys().next().value as string);
      lines = [];
      this.#lines.set(agentId, lines);
    }
    lines.push(line);
    if (lines.length > this.#perAgent) lines.splice(0, lines.length - this.#perAgent);
  }

  /** Newest first. */
  recent(agentId: string): AgentLogLine[] {
    return [...(this.#lines.get(agentId) ?? [])].reverse();
  }
}
