// Builds the HTTP API's services from the running parts of the process. Each adapter is small and
// lives in its own file; this is the one place that knows which part answers which route.
import type { AgentSpawner } from '../agents/spawner/agent-spawner.ts';
import type { CatalogService } from '../agents/catalog/catalog-service.ts';
import type { Config } from '../config/types.ts';
import type { TopicRegistry } from '../bus/topic-bus/registry.ts';
import type { Clock } from '../core/clock.ts';
import type { ActorSystem } from '../core/system.ts';
import type { ChatService, HaMapService, MemoryService, PlansService, RulesService, Services } from '../contract/services.ts';
import type { HaClient } from '../ha/client.ts';
import type { LlmService } from '../llm/service.ts';
import type { AgentLogBuffer } from './agent-logs.ts';
import { createAgentGrantsService } from './agent-grants.ts';
import { createAgentsService } from './agents.ts';
import { createBudgetService } from './budget.ts';
import { createCostService } from './cost.ts';
import { createDevicesService } from './devices.ts';
import { createSettingsService } from './effective-config.ts';
import { createRecipesService } from './recipes.ts';
import type { NodeDirectory } from './nodes.ts';
import { createTopicsService } from './topics.ts';

export interface ServiceParts {
  clock: Clock;
  system: ActorSystem;
  spawner: AgentSpawner;
  llm: LlmService;
  fallbackModel: string | undefined;
  /** The loaded configuration, for the non-secret effective one (absent: MCP's wactorz://config answers "not available"). */
  config?: Config;
  chat: ChatService;
  rules: RulesService;
  plans: PlansService;
  /** The orchestrator's memory service: /memory in chat uses the same one, so both publish alike. */
  memory: MemoryService;
  topics: TopicRegistry;
  nodes: NodeDirectory;
  haMap: HaMapService;
  logs: AgentLogBuffer;
  /** Home Assistant, for MCP's entity and device tools (absent: they answer "not available"). */
  ha?: HaClient;
  /** The recipe catalogue (absent: /api/recipes answers 503). */
  catalog?: Pick<CatalogService, 'metas' | 'spawn' | 'sourceOf'> & Partial<Pick<CatalogService, 'broken'>>;
}

export function createServices(p: ServiceParts): Services {
  return {
    chat: p.chat,
    agents: createAgentsService({ system: p.system, spawner: p.spawner, ledger: p.llm.ledger, logs: p.logs }),
    agentGrants: createAgentGrantsService(p.spawner),
    rules: p.rules,
    plans: p.plans,
    memory: p.memory,
    cost: createCostService(p.llm.ledger, p.clock),
    budget: createBudgetService(p.llm.budget, p.fallbackModel),
    topics: createTopicsService(p.topics),
    nodes: p.nodes,
    haMap: p.haMap,
    ...(p.ha ? { devices: createDevicesService({ system: p.system, ha: p.ha }) } : {}),
    ...(p.catalog ? { recipes: createRecipesService(p.catalog) } : {}),
    ...(p.config ? { settings: createSettingsService(p.config) } : {}),
  };
}
