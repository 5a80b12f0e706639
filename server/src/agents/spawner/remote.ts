// The hook for agents that run on another node (a Raspberry Pi satellite): agents/nodes plugs in
// the edge runners' signed command channel (EdgeNodes). Without it, a spawn with `node` is refused
// with a message the user can act on, and nothing is started locally in its place.
import type { SpawnConfig } from '../spawn-config/config-schema.ts';

export interface RemoteNodes {
  /** Whether this node is known and reachable now. */
  has(node: string): boolean;
  /** Starts the agent there; resolves with the agent's id. */
  spawn(node: string, config: SpawnConfig): Promise<{ id: string; warnings?: string[] }>;
  /** Stops and forgets the agent there. */
  remove(node: string, name: string): Promise<void>;
}

export function remoteUnavailable(node: string, known: boolean): string {
  return known
    ? `node "${node}" is not connected right now; the agent was not started`
    : `remote nodes are not available yet: cannot run the agent on "${node}". Spawn it without "node" to run it in Wactorz itself`;
}
