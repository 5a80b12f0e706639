// What main talks to that other areas build: rules and plans (the planner), remote nodes (the
// edge work), the catalog of recipes. Each is a small interface; the runtime hands the real
// services to the Orchestrator when it builds it.
import type { NodeInfo } from '../../http/models/nodes.ts';
import type { PlansService as HttpPlansService, RulesService as HttpRulesService } from '../../http/services.ts';
import type { SpawnOrigin, SpawnOutcome } from '../spawner.ts';

/** Reactive rules: the planner implements the same service the HTTP API uses. */
export type RulesService = HttpRulesService;

/** Plan proposals, plus the plan cache the planner keeps (for /clear-plans). */
export interface PlansService extends HttpPlansService {
  /** Wipes the planner's plan cache; returns how many cached plans were dropped. */
  clearCache?: () => Promise<number>;
}

/** Remote nodes (Raspberry Pi satellites) and the agents each one hosts. */
export interface NodesSource {
  list(): Promise<NodeInfo[]>;
  /** Moves a spawned agent to another node ('local' = this add-on); resolves with a line for the user. */
  migrate?(agent: string, node: string): Promise<string>;
  /** Deploys the edge runner over SSH; `confirm` is the host key fingerprint the user checked. */
  deploy?(request: { node: string; host: string; user: string; broker: string; confirm?: string }): Promise<string>;
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
