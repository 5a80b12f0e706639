// The owner's grants for API and panel tests: the real AgentGrantsService (grammar, descriptions,
// the confirm rule) over a spawner that keeps grants in FakeState. Only `dynamic` agents have any,
// as only spawned code agents do on the real server.
import type { AgentSpawner } from '../../server/src/agents/spawner/agent-spawner.ts';
import type { AgentGrantsService } from '../../server/src/contract/services.ts';
import { createAgentGrantsService } from '../../server/src/services/agent-grants.ts';
import type { FakeState } from './fake-services.ts';

export function fakeAgentGrants(state: FakeState): AgentGrantsService {
  const spawned = (name: string) => state.agents.get(name)?.type === 'dynamic';
  const spawner: Pick<AgentSpawner, 'grantsOf' | 'setGrants'> = {
    grantsOf: (name) => (spawned(name) ? [...(state.grants.get(name) ?? [])] : undefined),
    async setGrants(name, grants) {
      state.grants.set(name, [...grants]);
      return { name, grants: [...grants], restarted: false };
    },
  };
  return createAgentGrantsService(spawner as AgentSpawner);
}
