// Agents: the live list (state, heartbeat, errors patched from events), details, commands, logs.
import { apiDelete, apiGet, apiPost, seg } from './api.ts';
import { createCollection } from './collection.ts';
import { subscribeLive } from './live.ts';
import type { Agent, AgentCommand, AgentDetail, AgentLogLine } from './types.ts';

export const agentsCollection = createCollection<Agent[]>({
  topics: ['agents'],
  fetch: (signal) => apiGet<Agent[]>('api/agents', signal),
  apply(agents, e) {
    const patch = (name: string, fn: (a: Agent) => Agent): Agent[] | 'refetch' =>
      agents.some((a) => a.name === name) ? agents.map((a) => (a.name === name ? fn(a) : a)) : 'refetch';
    switch (e.type) {
      case 'agent.state':
        return patch(e.agent, (a) => ({ ...a, state: e.state }));
      case 'agent.heartbeat':
        return patch(e.agent, (a) => ({ ...a, last_heartbeat: e.at }));
      case 'agent.error':
        return patch(e.agent, (a) => ({ ...a, errors: a.errors + 1 }));
      case 'agent.removed':
        return agents.filter((a) => a.name !== e.agent);
      default:
        return agents;
    }
  },
});

export function fetchAgent(name: string, signal?: AbortSignal): Promise<AgentDetail> {
  return apiGet<AgentDetail>(`api/agents/${seg(name)}`, signal);
}

export async function commandAgent(name: string, command: AgentCommand): Promise<Agent> {
  const agent = await apiPost<Agent>(`api/agents/${seg(name)}/${command}`);
  agentsCollection.update((list) => list.map((a) => (a.name === name ? agent : a)));
  return agent;
}

export async function deleteAgent(name: string): Promise<void> {
  await apiDelete<{ ok: true }>(`api/agents/${seg(name)}`);
  agentsCollection.update((list) => list.filter((a) => a.name !== name));
}

/** Live log lines of one agent (only while someone looks at them). */
export function subscribeAgentLogs(name: string, onLine: (line: AgentLogLine) => void): () => void {
  return subscribeLive({
    topics: [`logs/${name}`],
    onEvent: (e) => {
      if (e.type === 'agent.log') onLine({ at: e.at, level: e.level, message: e.message });
    },
  });
}
