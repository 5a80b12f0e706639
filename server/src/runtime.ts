// Composes the process: database, broker, MQTT connection, Home Assistant, actor system, HTTP. Start-up is in
// dependency order; stop() closes in the order the issue of graceful shutdown asks for: HTTP
// first (no new work comes in), then MQTT (and the embedded broker), then the database last (so
// everything still running can persist until the end).
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/types.ts';
import { resolveBroker, type ResolvedBroker } from './bus/broker-target.ts';
import { connectMqtt, type MqttConnection } from './bus/connection.ts';
import { logMalformed } from './bus/malformed-log.ts';
import { MqttBus } from './bus/mqtt-bus.ts';
import { PROCESS_OWNED_TOPICS, relativeToRoot, subtreeFilter } from './bus/topics.ts';
import { TopicBus } from './bus/topic-bus/topic-bus.ts';
import { TopicBusPersistence } from './bus/topic-bus/persistence.ts';
import { TopicSampleStore } from './bus/topic-bus/sample-store.ts';
import { STATE_BRIDGE_NAME } from './agents/ha/state-bridge.ts';
import { systemClock } from './core/clock.ts';
import { ActorSystem } from './core/system.ts';
import type { Orchestrator } from './agents/main/orchestrator.ts';
import { startMonitor, startOrchestrator } from './agents/main/start.ts';
import { startHaAgents, type HaAgents } from './agents/ha/start.ts';
import { createAgentRuntime } from './agents/spawner/assemble.ts';
import { ownerRecipesDir } from './agents/catalog/library.ts';
import type { Spawner } from './agents/spawner/spawner.ts';
import { createNodesArea, type NodesArea } from './agents/nodes/nodes-service.ts';
import { createPlannerArea, type PlannerArea } from './agents/planner/create.ts';
import { explainRule } from './agents/planner/traces/explain.ts';
import { RuleTraceRecorder } from './agents/planner/traces/recorder.ts';
import { TraceStore } from './agents/planner/traces/trace-store.ts';
import type { HaClient } from './ha/client.ts';
import type { DemoHome } from './ha/demo/demo-home.ts';
import { startHa } from './ha/start.ts';
import type { AccessPolicy } from './http/access-policy.ts';
import { buildApp, closeApp } from './http/app.ts';
import type { HealthSources } from './http/health.ts';
import { LiveHub } from './http/live-hub.ts';
import { announceMcp } from './interfaces/mcp/discovery.ts';
import type { PeerPolicy } from './interfaces/wyoming/peers.ts';
import type { WyomingServer } from './interfaces/wyoming/server.ts';
import { startWyoming } from './interfaces/wyoming/start.ts';
import { HaNotifier } from './agents/dynamic/notifier.ts';
import { WebhookStore } from './agents/main/memory/webhook-store.ts';
import { ChannelAwareNotifier } from './interfaces/channels/notifier.ts';
import { ChannelRegistry } from './interfaces/channels/registry.ts';
import { createChannels, startChannels } from './interfaces/channels/start.ts';
import { chatTargets } from './interfaces/channels/targets.ts';
import { WebhookSender } from './interfaces/webhooks/sender.ts';
import { webhookSource } from './interfaces/webhooks/targets.ts';
import { isWebhookTarget } from './agents/ha/service-calls.ts';
import { afterListen as integrationAfterListen, createIntegrationSide } from './interfaces/integration/start.ts';
import { availabilityWill } from './interfaces/ha-discovery/bridge.ts';
import { startHaDiscovery } from './interfaces/ha-discovery/start.ts';
import type { ChatService } from './contract/services.ts';
import { createLlm, type LlmService } from './llm/index.ts';
import type { Logger } from './logger.ts';
import { createHttpFetcher, createFetchPolicy } from './sandbox/index.ts';
import { AgentLogBuffer } from './services/agent-logs.ts';
import { createHaMapService } from './services/ha-map.ts';
import { createServices } from './services/index.ts';
import { memoryEvents } from './services/memory.ts';
import { startLiveBridge } from './services/live-bridge.ts';
import { NodeDirectory } from './services/nodes.ts';
import { watchRulesAndPlans } from './services/rule-plan-watch.ts';
import { startRuleTraceLive } from './services/rule-trace-live.ts';
import { openDatabase, type Db } from './store/database.ts';
import { SqliteKeyValueStore } from './store/kv.ts';
import { SqliteOutbox } from './store/outbox.ts';
import { SqliteSpawnRegistry } from './store/spawn-registry.ts';

export interface Runtime {
  readonly config: Config;
  readonly db: Db;
  readonly broker: ResolvedBroker;
  readonly mqtt: MqttConnection;
  /** The typed bus over the one MQTT connection (every actor publishes and subscribes through it). */
  readonly bus: MqttBus;
  /** The actor system: registry, root supervisor, heartbeats, commands. */
  readonly system: ActorSystem;
  /** Home Assistant (the configured one, or the in-process demo home). */
  readonly ha: HaClient;
  /** The demo home, when config.ha.mode is 'demo' (demos and tests drive it). */
  readonly haDemo: DemoHome | undefined;
  /** The one LLM service (every call path, ledger, budget). */
  readonly llm: LlmService;
  /** The orchestrator: `process(text, context)` for every interface (built last, whole). */
  readonly orchestrator: Orchestrator;
  /** The chat entry point as the HTTP API's ChatService (over orchestrator.process). */
  readonly chat: ChatService;
  /** Spawns, replaces, deletes and restores runtime agents (dynamic, llm, and the types other areas register). */
  readonly spawner: Spawner;
  /** Agents' topic contracts and observed samples (the planner's wiring, the manifests). */
  readonly topicBus: TopicBus;
  /** Reactive rules (/rules, the API): list with live agent states, enable/disable, delete. */
  readonly rules: PlannerArea['http']['rules'];
  /** Plan proposals (/plans, the API): approve, reject, the task-plan cache. */
  readonly plans: PlannerArea['http']['plans'];
  /** The planner itself: task plans, pipeline proposals, the rules and plans managers. */
  readonly planner: PlannerArea;
  /** The HA agents: state bridge, home-assistant-agent, map agent (the `ha` supervisor), their intents and map. */
  readonly haAgents: HaAgents;
  /** Remote nodes (edge runners): signed commands, deploy over SSH, migrate. */
  readonly nodes: NodesArea;
  /** Events pushed to the panel over the WebSocket. */
  readonly live: LiveHub;
  readonly app: FastifyInstance;
  /** Where HTTP listens, after start. */
  readonly address: string;
  /** The Wyoming server (Assist's conversation agent), unless `wyoming_port` is 0. */
  readonly wyoming: WyomingServer | undefined;
  /** The chat channels that are set up (Telegram, Discord, WhatsApp). */
  readonly channels: ChannelRegistry;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  config: Config;
  logger: Logger;
  panelDir?: string;
  fetchImpl?: typeof fetch;
  /** Merged over the access policy from the configuration. Only tests use it (e.g. to trust an ingress-like proxy). */
  access?: Partial<AccessPolicy>;
  /** Merged over the Wyoming peer policy from the configuration. Only tests use it. */
  wyomingPeers?: Partial<PeerPolicy>;
}

export async function startRuntime({ config, logger, panelDir, fetchImpl, access, wyomingPeers }: RuntimeOptions): Promise<Runtime> {
  const startedAt = new Date();
  const closers: { name: string; close: () => Promise<void> | void }[] = [];
  const stopAll = async () => {
    for (const { name, close } of closers.reverse().splice(0)) {
      // The process gives up after 8 s (serve.ts): say which part holds it up before that.
      const slow = setTimeout(() => logger.warn({ component: name }, `${name} is slow to close`), 2_000);
      slow.unref();
      try {
        await close();
        logger.debug({ component: name }, 'closed');
      } catch (err) {
        logger.error({ err, component: name }, 'close failed');
      } finally {
        clearTimeout(slow);
      }
    }
  };

  try {
    const db = openDatabase({ dataDir: config.dataDir });
    closers.push({ name: 'database', close: () => void db.close() });
    logger.info({ dataDir: config.dataDir }, 'database open');
    // Rule traces: written by the rule agents, read by /rules trace and the API. Flushed just
    // before the database closes (closers run in reverse), after every agent has stopped.
    const traces = new RuleTraceRecorder({ store: new TraceStore(db), clock: systemClock, bounds: { maxPerRule: config.rules.traceCount, maxAgeMs: config.rules.traceDays * 86_400_000 } });
    closers.push({ name: 'rule-traces', close: () => traces.stop() });

    const broker = await resolveBroker(config.mqtt, { token: config.supervisorToken, fetchImpl });
    if (broker.embedded) {
      const embedded = broker.embedded;
      closers.push({ name: 'embedded-broker', close: () => embedded.close() });
      logger.info({ url: broker.url }, 'embedded MQTT broker listening');
    }
    // The last will marks the server offline for HA's entities (interfaces/ha-discovery/).
    const mqtt = connectMqtt(broker, `wactorz-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, { will: availabilityWill(config.topicRoot) });
    closers.push({ name: 'mqtt', close: () => mqtt.close() });

    // Closed after HTTP and before MQTT (closers run in reverse).
    const ha = await startHa(config.ha, { logger, fetchImpl });
    closers.push({ name: 'ha', close: () => ha.close() });

    // The bus and the actor system come after MQTT and HA, so actors stop (closers run in
    // reverse) before HA and MQTT close, while they can still publish and persist.
    const busLog = logger.child({ component: 'bus' });
    const bus = new MqttBus({ connection: mqtt, root: config.topicRoot, ownedTopics: PROCESS_OWNED_TOPICS, externalReads: config.mqttReadTopics, outbox: new SqliteOutbox(db), onError: (err, context) => busLog.warn({ err: err.message, context }, 'mqtt error') });
    logMalformed(bus, busLog, systemClock);
    await bus.start();
    closers.push({ name: 'bus', close: () => bus.stop() });
    const system = new ActorSystem({ bus, store: new SqliteKeyValueStore(db), logger: logger.child({ component: 'actors' }) });
    await system.start();
    closers.push({ name: 'actors', close: () => system.stop() });

    const llm = createLlm(config.llm, { db, logger: logger.child({ component: 'llm' }) });
    // The monitor watches from the start; its notices wait for the orchestrator, built last, whole.
    const notifications = await startMonitor(system);

    // Spawned agents (LLM-written code in the sandbox, llm agents, the catalog), each under its own
    // supervisor; stopped before the actor system. restoreAll() comes once every type is registered.
    const topicBus = new TopicBus({ clock: systemClock });
    // HA state changes reach the TopicBus too, so the planner sees live samples of them.
    const observeStates = bus.subscribeRaw(subtreeFilter(bus.root, 'haStateChanges', {}), (topic, payload) => {
      try {
        topicBus.observe(relativeToRoot(bus.root, topic), JSON.parse(payload.toString('utf8')), { publisher: 'home-assistant-state-bridge' });
      } catch {
        // A malformed payload is the bus's to report; the samples just skip it.
      }
    });
    closers.push({ name: 'topic-samples', close: () => observeStates() });

    // Remote nodes share the spawn registry with the spawner (migrate rewrites an agent's node).
    const registry = new SqliteSpawnRegistry(db, () => systemClock.now());
    // Observed samples and agents' contracts from before the restart, so the planner sees at once
    // the topics that carried data; written in batches, the last just before the database closes.
    const topicSamples = new TopicBusPersistence({ registry: topicBus.registry, store: new TopicSampleStore(db), clock: systemClock, isAgent: (name) => name === STATE_BRIDGE_NAME || registry.get(name) !== undefined });
    const restoredTopics = topicSamples.start();
    closers.push({ name: 'topic-samples-store', close: () => topicSamples.stop() });
    if (restoredTopics.samples + restoredTopics.manifests.length > 0) logger.info(restoredTopics, 'topic samples restored');
    const nodeDirectory = new NodeDirectory(system, systemClock);
    const nodes = createNodesArea({ db, bus, clock: systemClock, registry, system, dataDir: config.dataDir, directory: nodeDirectory, logger: logger.child({ component: 'nodes' }) });
    nodes.start();
    closers.push({ name: 'nodes', close: () => nodes.stop() });
    // The API lists remote nodes only as agents/nodes verified them (signed heartbeats).
    nodeDirectory.start(nodes.remote);
    closers.push({ name: 'node-directory', close: () => nodeDirectory.stop() });
    const haUrl = config.ha.mode === 'demo' ? ha.demo?.url : config.ha.url;
    // Telegram, Discord and WhatsApp (interfaces/channels/): created once the orchestrator exists;
    // agent.notify reaches them through this registry meanwhile (`telegram:<chat id>` targets).
    const channels = new ChannelRegistry();
    // Saved notification webhooks (`/webhook slack <url>`), reached with `webhook:<name>` targets.
    const webhooks = new WebhookSender({ source: webhookSource(new WebhookStore(db, systemClock)), clock: systemClock, logger: logger.child({ component: 'webhooks' }), ...(fetchImpl ? { fetchImpl } : {}) });
    const agents = createAgentRuntime({
      system,
      db,
      llm,
      ha: ha.client,
      notifier: new ChannelAwareNotifier(channels, new HaNotifier(ha.client), webhooks),
      topicBus,
      fetcher: createHttpFetcher(createFetchPolicy({ ...(haUrl ? { haUrl } : {}), allowedAddresses: config.sandbox.allowedHosts.addresses, allowedHosts: config.sandbox.allowedHosts.hosts }), systemClock),
      limits: { memoryMb: config.sandbox.memoryLimitMb },
      logger: logger.child({ component: 'agents' }),
      // The owner's own recipes beside the bundled ones: /share/wactorz/recipes in the add-on.
      ownerRecipesDir: ownerRecipesDir(config),
      remote: nodes.remote,
      registry,
      traces,
    });
    await agents.start();
    closers.push({ name: 'agents', close: () => agents.stop() });
    // The HA agents under an `ha` supervisor (stopped with the actor system); their spawn types
    // (ha_actuator, scheduled) are registered before restoreAll so saved rules come back.
    const stateBridge = { domains: config.haBridge.domains, perEntity: config.haBridge.perEntityTopics };
    const haAgents = await startHaAgents({ system, ha: ha.client, llm, stateBridge });
    // Rules' notify.chat_channel actions go to the chat channels, formatted like agent.notify's,
    // or to a saved webhook (`webhook:<name>`).
    const chat = (target: string, title: string | undefined, message: string, signal?: AbortSignal) =>
      isWebhookTarget(target) ? webhooks.notify(target, title, message, signal) : channels.notify(target, title, message, signal);
    for (const factory of haAgents.factories({ supervision: agents.supervision, retire: (name) => agents.spawner.delete(name), traces, chat })) agents.spawner.registerType(factory);
    nodes.remote.attach(agents.spawner);
    // Built now, for the orchestrator; started after restoreAll (rules start by stopping the agents
    // of disabled rules again).
    const planner = createPlannerArea({ db, clock: systemClock, llm, system, spawner: agents.spawner, ha: ha.client, bus, topics: topicBus.registry, traces, stateBridge, chatTargets: () => [...chatTargets(config.channels), ...webhooks.targets()] });

    // The panel's live events: made before the orchestrator, whose /memory publishes on it too.
    const live = new LiveHub({ clock: systemClock });
    // The orchestrator, whole: every area a chat turn reaches exists now. `main` runs under the
    // root supervisor before restoreAll, so restored agents can ask it; the orchestrator stops
    // before the areas it uses (closers run in reverse).
    const orchestration = await startOrchestrator({
      db,
      clock: system.clock,
      llm,
      system,
      bus,
      ha: ha.client,
      spawner: agents.spawner,
      catalog: agents.catalog,
      topics: topicBus.registry,
      nodes: nodes.source,
      rules: planner.http.rules,
      plans: planner.http.plans,
      intents: {
        actuate: haAgents.intents.actuate,
        ha: haAgents.intents.ha,
        actuateCalls: haAgents.intents.actuateCalls,
        homeContext: haAgents.intents.homeContext,
        pipeline: planner.intents.pipeline,
        explainRule: (question, ctx, args) => explainRule({ rules: planner.rules, clock: systemClock, llm, timezone: () => ha.client.config()?.time_zone }, question, ctx, args),
        // A node removal first: /nodes remove is a slash command, which no follow-up sees, so its
        // question is the newest. Then the HA questions: they expire within minutes, so a pending
        // one is the newest question of the conversation; then the planner's proposals.
        followUps: [nodes.removal.followUp, haAgents.intents.followUp, planner.intents.followUp],
        questions: [nodes.removal.question, haAgents.intents.question, planner.intents.question],
      },
      notifications,
      fallbackModel: config.llm.fallback,
      routing: config.llm.routing ?? 'tools',
      memoryChanges: memoryEvents((e) => live.publish(e)),
      webhookStats: (name) => webhooks.statsOf(name),
      logger: logger.child({ component: 'main' }),
    });
    closers.push({ name: 'orchestrator', close: () => orchestration.stop() });
    const channelRoutes = await createChannels({ config, runner: orchestration.orchestrator, logger: logger.child({ component: 'channels' }), fetchImpl }, channels);
    closers.push({ name: 'channels', close: () => channels.stop() });

    const restored = await agents.spawner.restoreAll();
    if (restored.restored.length + restored.failed.length > 0) logger.info({ restored: restored.restored, failed: restored.failed }, 'spawned agents restored');
    await planner.start();
    closers.push({ name: 'planner', close: () => planner.stop() });

    const health: HealthSources = {
      broker: () => ({ mode: broker.mode, state: mqtt.state(), url: broker.url.replace(/\/\/[^@/]*@/, '//'), error: mqtt.lastError() }),
      ha: () => ha.client.health(),
      llm: () => ({ provider: config.llm.provider, ...(config.llm.model ? { model: config.llm.model } : {}) }),
      channels: () => channels.health(),
    };
    // The API's services and the live bridge over the parts started above.
    const logs = new AgentLogBuffer();
    logs.start(bus);
    closers.push({ name: 'agent-logs', close: () => logs.stop() });
    closers.push({ name: 'live-bridge', close: startLiveBridge({ system, bus, llm, hub: live, clock: systemClock }) });
    const services = createServices({
      clock: systemClock,
      system,
      spawner: agents.spawner,
      llm,
      fallbackModel: config.llm.fallback,
      config,
      chat: orchestration.chat,
      rules: planner.http.rules,
      plans: planner.http.plans,
      memory: orchestration.orchestrator.memory,
      topics: topicBus.registry,
      nodes: nodeDirectory,
      haMap: createHaMapService(ha.client, systemClock, haAgents.mapService),
      ha: ha.client,
      logs,
      catalog: agents.catalog,
    });
    const watch = watchRulesAndPlans({ rules: planner.http.rules, plans: planner.http.plans, clock: systemClock, publish: (e) => live.publish(e), onError: (err) => logger.warn({ err }, 'rules/plans watch failed') });
    closers.push({ name: 'rules-watch', close: () => watch.stop() });
    closers.push({ name: 'rule-trace-live', close: startRuleTraceLive({ traces, clock: systemClock, publish: (e) => live.publish(e) }) });
    // Agents, rules and budget as HA entities over MQTT discovery, through the services above;
    // HA's switches and buttons get only what broker data may do (ha-discovery/trust.ts).
    const discovery = await startHaDiscovery({ options: config.haDiscovery, bus, clock: systemClock, services, ruleConfigs: (id) => planner.rules.get(id)?.agents.map((a) => a.config), ha: ha.client, live, mqtt, logger: logger.child({ component: 'ha-discovery' }) });
    closers.push({ name: 'ha-discovery', close: () => discovery.stop() });
    // The companion HA integration's API, behind its own per-install token (interfaces/integration/).
    const integration = createIntegrationSide({ config, runner: () => orchestration.orchestrator, chat: () => orchestration.chat, llm });
    const app = await buildApp({
      health,
      startedAt,
      logger,
      panelDir,
      services,
      live,
      interfaceRoutes: [integration.routes, ...channelRoutes.routes],
      access: { inAddon: config.inAddon, apiKey: config.apiKey, integrationToken: integration.identity.token, webhookPaths: channelRoutes.webhookPaths, ...access },
    });
    closers.push({ name: 'http', close: () => closeApp(app) });
    const address = await app.listen({ host: config.host, port: config.port });
    logger.info({ address, ha: config.ha.mode, llm: config.llm.provider }, 'wactorz is up');
    startChannels(channels, logger);
    void integrationAfterListen({ config, identity: integration.identity, port: Number(new URL(address).port), ha: ha.client, logger: logger.child({ component: 'integration' }), fetchImpl });
    // HA's `mcp` integration finds /mcp through Supervisor discovery; a refusal costs only that.
    // Assist's Wyoming conversation agent; closed before HTTP (closers run in reverse).
    const wyoming = await startWyoming({ config, runner: orchestration.orchestrator, logger: logger.child({ component: 'wyoming' }), fetchImpl, peers: wyomingPeers });
    if (wyoming) closers.push({ name: 'wyoming', close: () => wyoming.stop() });
    if (config.supervisorToken) announceMcp({ token: config.supervisorToken, port: Number(new URL(address).port), mcpToken: integration.identity.token, fetchImpl }).then((d) => logger.info({ url: d.url }, 'MCP server announced to the Supervisor'), (err: unknown) => logger.warn({ err }, 'MCP discovery announcement failed'));

    return { config, db, broker, mqtt, bus, system, ha: ha.client, haDemo: ha.demo, llm, orchestrator: orchestration.orchestrator, chat: orchestration.chat, spawner: agents.spawner, topicBus, rules: planner.http.rules, plans: planner.http.plans, planner, haAgents, nodes, live, app, address, wyoming, channels, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
