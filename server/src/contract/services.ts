// What the HTTP layer needs from the rest of the system, as small interfaces. The routes are
// written against these; the runtime plugs in the real implementations (a service left out
// answers 503 `unavailable`). Implementations signal refusals with ServiceError
// (service-error.ts) and never return secrets: the response schemas also strip unknown fields.
import type { Identity } from './identity.ts';
import type { Agent, AgentCommand, AgentDetail, AgentGrants, GrantPreview } from './agents.ts';
import type { ChatEvent, Conversation, ConversationSummary } from './chat.ts';
import type { Budget, BudgetUpdate, CostPeriod, CostReport } from './cost.ts';
import type { DevicesService } from './devices.ts';
import type { EffectiveConfig } from './effective-config.ts';
import type { HaMap } from './ha-map.ts';
import type { MemoryFact } from './memory.ts';
import type { BrokenRecipeInfo, RecipeInfo, RecipeSpawnRequest, RecipeSpawnResponse } from './recipes.ts';
import type { NodeInfo } from './nodes.ts';
import type { Plan } from './plans.ts';
import type { RuleRollbackResult, RuleVersion } from './rule-versions.ts';
import type { Rule, RuleTrace } from './rules.ts';
import type { TopicInfo } from './topics.ts';

/** Who asked, for audit logs and for confirmations of sensitive actions. */
export interface RequestContext {
  identity: Identity;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface ChatContext extends RequestContext {
  conversationId: string;
  /** Talk to this agent directly instead of the orchestrator. */
  agent: string | undefined;
  /**
   * An interface that is a programmatic API whoever signed in (MCP): the turn runs on the owner's
   * `api` channel even for an ingress user. Absent: the identity decides (`api` for the API key).
   */
  channel?: 'api';
}

export interface ChatService {
  /**
   * Runs one chat turn. Yields deltas, inline activity and proposals as they happen and ends
   * with exactly one `done`; the HTTP layer relays each to the conversation's live topic.
   */
  process(text: string, ctx: ChatContext): AsyncIterable<ChatEvent>;
  conversations(ctx: RequestContext): Promise<ConversationSummary[]>;
  /** undefined: no such conversation. */
  conversation(id: string, ctx: RequestContext): Promise<Conversation | undefined>;
}

export interface AgentsService {
  list(): Promise<Agent[]>;
  get(name: string): Promise<AgentDetail | undefined>;
  /** Returns the agent after the command; undefined: no such agent. */
  command(name: string, command: AgentCommand, ctx: RequestContext): Promise<Agent | undefined>;
  /** false: no such agent. Throws ServiceError('forbidden') for protected agents. */
  delete(name: string, ctx: RequestContext): Promise<boolean>;
}

/** The owner's grants to spawned code agents (a lock, an alarm panel...); the API only, never LLM output. */
export interface AgentGrantsService {
  /** Undefined: no spawned agent of that name. */
  get(name: string): Promise<AgentGrants | undefined>;
  /** What one grant would let the agent's code do. Throws ServiceError: not_found, invalid (not a grant). */
  preview(name: string, grant: string): Promise<GrantPreview>;
  /**
   * Adds one grant and restarts the agent with it. Throws ServiceError: not_found, invalid (not a
   * grant, not a code agent, a sensitive grant without `confirm`), conflict (the restart failed).
   */
  grant(name: string, grant: string, confirm: boolean, ctx: RequestContext): Promise<AgentGrants>;
  /** Removes one grant and restarts the agent without it; same errors. */
  revoke(name: string, grant: string, ctx: RequestContext): Promise<AgentGrants>;
}

export interface RulesService {
  list(): Promise<Rule[]>;
  setEnabled(id: string, enabled: boolean, ctx: RequestContext): Promise<Rule | undefined>;
  delete(id: string, ctx: RequestContext): Promise<boolean>;
  /** A rule's evaluation traces, newest first; undefined for an unknown rule. Absent: not traced. */
  traces?(id: string, query: RuleTraceQuery): Promise<RuleTrace[] | undefined>;
  /** The compact trace summary around `time` ("10:42", "2026-01-01 10:42") or the latest; rule by id or a unique piece of its title. */
  traceSummary?(ref: string, time?: string): Promise<string | undefined>;
  /** Every approved version, newest first; undefined for an unknown rule. Rule by id or a unique piece of its title. Absent: not versioned. */
  versions?(ref: string): Promise<RuleVersion[] | undefined>;
  /**
   * Swaps the rule's agents back to an earlier version's configs (a failed swap restores the
   * running version) and records that as a new version. Throws ServiceError: not_found (rule or
   * version), conflict (already that version's configs, disabled, being changed, the swap failed),
   * invalid (that version no longer validates against the home).
   */
  rollback?(ref: string, version: number, ctx: RequestContext): Promise<RuleRollbackResult>;
  /**
   * Why approved rules will not work as the options stand now, by rule id (a rule listening on a
   * domain the HA state bridge no longer publishes); rules without a problem are absent. Absent: not checked.
   */
  warnings?(): Promise<Record<string, string[]>>;
}

export interface RuleTraceQuery {
  from?: number;
  to?: number;
  limit?: number;
}

export interface PlansService {
  list(): Promise<Plan[]>;
  /** Approving a valid pending plan creates its rule/agents; the returned plan carries rule_id. */
  approve(id: string, ctx: RequestContext): Promise<Plan | undefined>;
  reject(id: string, reason: string | undefined, ctx: RequestContext): Promise<Plan | undefined>;
  /** Wipes the planner's task-plan cache (/clear-plans); how many cached plans were dropped. Absent: no cache. */
  clearCache?(): Promise<number>;
}

export interface MemoryService {
  list(): Promise<MemoryFact[]>;
  forget(key: string, ctx: RequestContext): Promise<boolean>;
  /** Forgets every fact (the store behind /memory clear); how many were forgotten. */
  clear(ctx: RequestContext): Promise<number>;
}

export interface RecipesService {
  list(): Promise<RecipeInfo[]>;
  /** The recipes that failed to load, each with why (the ones @catalog list shows as broken). */
  broken(): Promise<BrokenRecipeInfo[]>;
  /**
   * Spawns a recipe with the catalog's checks and scopes (the catalog agent's spawn path). Status
   * `reused`: an agent of that name already ran and was kept. Throws ServiceError: not_found (no
   * such recipe), invalid (a refused parameter or name, in the catalog's or spawner's words).
   */
  spawn(recipe: string, request: RecipeSpawnRequest, ctx: RequestContext): Promise<RecipeSpawnResponse>;
}

export interface CostService {
  report(period: CostPeriod): Promise<CostReport>;
}

export interface BudgetService {
  get(): Promise<Budget>;
  update(patch: BudgetUpdate, ctx: RequestContext): Promise<Budget>;
}

export interface TopicsService {
  list(): Promise<TopicInfo[]>;
}

export interface NodesService {
  list(): Promise<NodeInfo[]>;
}

/** The non-secret effective configuration (MCP's wactorz://config and list_capabilities). */
export interface SettingsService {
  effective(): Promise<EffectiveConfig>;
}

export interface HaMapService {
  /** undefined until the first snapshot of Home Assistant has been taken. */
  snapshot(): Promise<HaMap | undefined>;
}

export interface Services {
  chat: ChatService;
  agents: AgentsService;
  /** Absent: /api/agents/:name/grants answers 503. */
  agentGrants?: AgentGrantsService;
  rules: RulesService;
  plans: PlansService;
  memory: MemoryService;
  cost: CostService;
  budget: BudgetService;
  topics: TopicsService;
  nodes: NodesService;
  haMap: HaMapService;
  /** The recipe catalogue (absent: the API answers 503 for /api/recipes). */
  recipes?: RecipesService;
  /** HA entities and device control outside a chat turn (absent: MCP's ha_* tools answer "not available"). */
  devices?: DevicesService;
  /** The non-secret effective configuration (absent: MCP's wactorz://config answers "not available"). */
  settings?: SettingsService;
}
