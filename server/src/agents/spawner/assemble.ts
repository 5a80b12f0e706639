// Puts the spawned-agents side of the server together: the spawn registry, per-agent supervision,
// the spawner with the `dynamic` and `llm` types registered, and the catalog agent. Other areas
// register their types on `spawner` (ha_actuator, scheduled); restoreAll() comes after them all.
import type { TraceSink } from '../ha/trace.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import type { ActorSystem, LogSink } from '../../core/system.ts';
import type { TopicBus } from '../../bus/topic-bus/topic-bus.ts';
import type { HaClient } from '../../ha/client.ts';
import { ConversationStore, type LlmService } from '../../llm/index.ts';
import type { HttpFetcher } from '../../sandbox/fetch/fetcher.ts';
import type { SandboxLimits } from '../../sandbox/limits.ts';
import type { Db } from '../../store/database.ts';
import { SqliteSpawnRegistry, type SpawnRegistry } from '../../store/spawn-registry.ts';
import { CatalogAgent, CATALOG_NAME } from '../catalog/catalog-agent.ts';
import { catalogService, type CatalogService } from '../catalog/catalog-service.ts';
import { RecipeLibrary } from '../catalog/library.ts';
import { dynamicAgentFactory } from '../dynamic/factory.ts';
import { HaNotifier, type Notifier } from '../dynamic/notifier.ts';
import type { AgentServices } from '../dynamic/services.ts';
import { forgetLlmAgent, llmAgentFactory } from '../llm-agent-factory.ts';
import type { RemoteNodes } from './remote.ts';
import { Spawner } from './spawner.ts';
import { AgentSupervision } from './supervision.ts';

export interface AgentRuntimeDeps {
  system: ActorSystem;
  db: Db;
  clock?: Clock;
  llm?: LlmService | undefined;
  ha?: HaClient | undefined;
  topicBus?: TopicBus | undefined;
  fetcher?: HttpFetcher | undefined;
  /** Default: Home Assistant's notify services when HA is there. */
  notifier?: Notifier | undefined;
  limits?: Partial<SandboxLimits> | undefined;
  logger?: LogSink | undefined;
  /** Where recipes are read from (default: the repository's recipes/); null: no catalog. */
  recipesDir?: string | null;
  /** The owner's recipes, loaded beside the bundled ones (catalog/library.ts); unset: none. */
  ownerRecipesDir?: string | null;
  remote?: RemoteNodes | undefined;
  registry?: SpawnRegistry;
  /** Where dynamic agents' agent.trace steps go (the rule trace recorder). */
  traces?: TraceSink | undefined;
}

export interface AgentRuntime {
  readonly spawner: Spawner;
  readonly supervision: AgentSupervision;
  readonly services: AgentServices;
  /** The recipes as a service (the orchestrator's `@recipe` and the API); empty before start(). */
  readonly catalog: CatalogService;
  /** Starts the catalog agent and listens for deletions. Call restoreAll() after every type is registered. */
  start(): Promise<void>;
  /** Stops every spawned agent (before the actor system stops). */
  stop(): Promise<void>;
}

export function createAgentRuntime(deps: AgentRuntimeDeps): AgentRuntime {
  const clock = deps.clock ?? systemClock;
  const { system, logger } = deps;
  const registry = deps.registry ?? new SqliteSpawnRegistry(deps.db, () => clock.now());
  const conversations = new ConversationStore(deps.db, clock);
  const supervision = new AgentSupervision(system, {
    onGiveUp: (name, failure) => {
      logger?.warn({ agent: name, error: failure.error.message }, 'spawned agent gave up after repeated failures');
      system.bus?.publish('agentAlert', { id: system.get(name)?.id ?? name }, { type: 'gave_up', severity: 'critical', message: `${name} kept failing and was stopped: ${failure.error.message}`, ts: clock.now() });
    },
  });
  let spawner: Spawner | undefined = undefined;
  const services: AgentServices = {
    system,
    llm: deps.llm,
    ha: deps.ha,
    notifier: deps.notifier ?? (deps.ha ? new HaNotifier(deps.ha) : undefined),
    topicBus: deps.topicBus,
    fetcher: deps.fetcher,
    limits: deps.limits,
    logger,
    describe: (name) => spawner?.describe(name),
    traces: deps.traces,
  };
  spawner = new Spawner({
    system,
    registry,
    topicBus: deps.topicBus,
    remote: deps.remote,
    logger,
    onDeleted: (name) => {
      supervision.forget(name);
      forgetLlmAgent(conversations, name);
    },
  });
  spawner.registerType(dynamicAgentFactory({ services, supervision, meta: spawner.meta }));
  spawner.registerType(llmAgentFactory({ llm: deps.llm, conversations, supervision }));
  const s = spawner;
  let library: RecipeLibrary | undefined;

  return {
    spawner: s,
    supervision,
    services,
    catalog: catalogService(() => library?.recipes() ?? [], s, () => library?.broken() ?? []),
    async start() {
      s.start();
      if (deps.recipesDir === null) return;
      const loaded = new RecipeLibrary({ ...(deps.recipesDir !== undefined ? { bundledDir: deps.recipesDir } : {}), ownerDir: deps.ownerRecipesDir, logger });
      await loaded.load();
      library = loaded;
      await system.supervisor.supervise({ name: CATALOG_NAME, factory: () => new CatalogAgent(loaded, s) });
    },
    async stop() {
      s.stop();
      await supervision.stopAll();
    },
  };
}
