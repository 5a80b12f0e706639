// What main talks to that other areas build besides the contract's RulesService and PlansService
// (the planner implements those for the HTTP API and main alike): remote nodes (the edge work)
// and the catalog of recipes. The runtime hands the real ones to the Orchestrator when it builds it.
import type { NodeInfo } from '../../contract/nodes.ts';
import type { SpawnOrigin, SpawnOutcome } from '../spawner/agent-spawner.ts';

/** Remote nodes (Raspberry Pi satellites) and the agents each one hosts. */
export interface NodesSource {
  list(): Promise<NodeInfo[]>;
  /** Moves a spawned agent to another node ('local' = this add-on); resolves with a line for the user. */
  migrate?(agent: string, node: string): Promise<string>;
  /** Deploys the edge runner over SSH; `confirm` is the host key fingerprint the user checked. */
  deploy?(request: { node: string; host: string; user: string; broker: string; confirm?: string }): Promise<string>;
  /**
   * /nodes remove: asks the owner to confirm removing the node (kept for this conversation, answered
   * through the nodes area's follow-up) and returns the question, or why there is nothing to remove.
   */
  askRemove?(conversation: string, request: { node: string; forget: boolean; purge: boolean }): string;
}

export interface RecipeInfo {
  name: string;
  description: string;
}

/** The catalog of pre-built recipes: `@recipe-name message` spawns one before talking to it. */
export interface Catalog {
  recipes(): RecipeInfo[];
  /** Spawns the recipe's agent (through the AgentSpawner, origin `{by:'catalog'}`). */
  spawn(name: string, origin: SpawnOrigin): Promise<SpawnOutcome>;
}
