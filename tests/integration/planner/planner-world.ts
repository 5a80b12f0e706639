// The planner among all the real parts: an aedes broker and the MqttBus over one connection, a
// SQLite file, the actor system on a ManualClock, the LLM service against the fake Anthropic
// server, the demo home with a real HA client, the HA state bridge actor, the TopicBus fed by the
// broker's traffic, the spawner with the dynamic, llm, ha_actuator and scheduled types, and the
// planner area. restart() rebuilds everything above the database file and the broker, as a
// restart of the add-on does.
import { connectMqtt, type MqttConnection } from '../../../server/src/bus/connection.ts';
import type { EmbeddedBroker } from '../../../server/src/bus/embedded-broker.ts';
import { MqttBus } from '../../../server/src/bus/mqtt-bus.ts';
import { TopicBus } from '../../../server/src/bus/topic-bus/topic-bus.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { ActorSystem } from '../../../server/src/core/system.ts';
import type { DemoHome } from '../../../server/src/ha/demo/demo-home.ts';
import type { LiveHaClient } from '../../../server/src/ha/live-client.ts';
import { createLlm, type LlmService } from '../../../server/src/llm/index.ts';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';
import { SqliteOutbox } from '../../../server/src/store/outbox.ts';
import { createAgentRuntime, type AgentRuntime } from '../../../server/src/agents/spawner/assemble.ts';
import { haActuatorFactory } from '../../../server/src/agents/ha/actuator/factory.ts';
import { scheduledFactory } from '../../../server/src/agents/ha/scheduled/factory.ts';
import { HaStateBridge, STATE_BRIDGE_NAME, type StateBridgeScope } from '../../../server/src/agents/ha/state-bridge.ts';
import { createPlannerArea, type PlannerArea } from '../../../server/src/agents/planner/create.ts';
import { RuleTraceRecorder } from '../../../server/src/agents/planner/traces/recorder.ts';
import { TraceStore, type TraceBounds } from '../../../server/src/agents/planner/traces/trace-store.ts';
import { startAedes } from '../../helpers/brokers.ts';
import { fakeLlmConfig, reply, startFakeLlm, type FakeLlmServer } from '../../helpers/fake-llm/index.ts';
import { byKind } from '../../unit/agents/planner/llm-script.ts';
import { connectClient, startDemoHome } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { eventually } from '../../helpers/eventually.ts';
import { standInParts } from '../../helpers/orchestrator-parts.ts';
import type { IntentHandlers } from '../../../server/src/agents/main/intents.ts';
import { NotificationQueue } from '../../../server/src/agents/main/notification-queue.ts';
import { Orchestrator } from '../../../server/src/agents/main/orchestrator.ts';

export interface WorldOptions {
  deadlineMs?: number;
  stepTimeoutMs?: number;
  traceBounds?: TraceBounds;
  /** The add-on options ha_bridge_*: what the state bridge publishes, as the planner is told. */
  stateBridge?: StateBridgeScope;
}

export interface Seen {
  topic: string;
  payload: unknown;
}

export class PlannerWorld {
  readonly clock: ManualClock;
  readonly dir = makeTempDir('wactorz-planner-');
  broker!: EmbeddedBroker;
  conn!: MqttConnection;
  bus!: MqttBus;
  db!: Db;
  llm!: LlmService;
  fake!: FakeLlmServer;
  home!: DemoHome;
  ha!: LiveHaClient;
  system!: ActorSystem;
  topicBus!: TopicBus;
  agents!: AgentRuntime;
  planner!: PlannerArea;
  /** The rule trace recorder the agents' factories and the planner share (as in the runtime). */
  traces!: RuleTraceRecorder;
  /** Every message under the root (root-relative topics). */
  readonly seen: Seen[] = [];
  #options: WorldOptions;

  constructor(start = Date.UTC(2026, 0, 1, 12), options: WorldOptions = {}) {
    this.clock = new ManualClock(start);
    this.#options = options;
  }

  async start(): Promise<this> {
    this.broker = await startAedes();
    this.conn = connectMqtt({ mode: 'external', url: this.broker.url }, `planner-${Math.random().toString(16).slice(2, 8)}`, { reconnectBaseMs: 50, reconnectCapMs: 200 });
    this.db = openDatabase({ dataDir: this.dir.path });
    this.bus = new MqttBus({ connection: this.conn, root: 'wactorz', outbox: new SqliteOutbox(this.db) });
    await this.bus.start();
    await eventually(() => this.bus.connected(), 'bus connected');
    this.fake = await startFakeLlm();
    this.llm = createLlm(fakeLlmConfig(this.fake, 'anthropic'), { db: this.db, clock: this.clock, sleep: async () => {} });
    this.home = await startDemoHome();
    this.ha = await connectClient(this.home);
    await this.ha.ready();
    this.bus.subscribeRaw('wactorz/#', (topic, payload) => {
      const rel = topic.slice('wactorz/'.length);
      const text = payload.toString('utf8');
      let value: unknown = text;
      try {
        value = JSON.parse(text);
      } catch {
        // kept as text
      }
      this.seen.push({ topic: rel, payload: value });
      // The runtime feeds the TopicBus from the shared connection the same way.
      if (!rel.startsWith('agents/') && !rel.startsWith('system/')) this.topicBus.observe(rel, value);
    }, this);
    await this.#boot();
    await this.agents.spawner.restoreAll();
    await this.planner.start();
    return this;
  }

  async #boot(): Promise<void> {
    this.topicBus = new TopicBus({ clock: this.clock });
    this.system = new ActorSystem({ clock: this.clock, bus: this.bus, store: new SqliteKeyValueStore(this.db) });
    this.traces = new RuleTraceRecorder({ store: new TraceStore(this.db), clock: this.clock, ...(this.#options.traceBounds ? { bounds: this.#options.traceBounds } : {}) });
    await this.system.start();
    await this.system.supervisor.supervise({ name: STATE_BRIDGE_NAME, factory: () => new HaStateBridge({ ha: this.ha, ...this.#options.stateBridge }) });
    this.agents = createAgentRuntime({ system: this.system, db: this.db, clock: this.clock, llm: this.llm, ha: this.ha, topicBus: this.topicBus, recipesDir: null, traces: this.traces });
    this.agents.spawner.registerType(haActuatorFactory({ system: this.system, ha: this.ha, traces: this.traces }));
    this.agents.spawner.registerType(scheduledFactory({ system: this.system, ha: this.ha, traces: this.traces, retire: (name) => this.agents.spawner.delete(name) }));
    await this.agents.start();
    this.planner = createPlannerArea({
      db: this.db,
      clock: this.clock,
      llm: this.llm,
      system: this.system,
      spawner: this.agents.spawner,
      ha: this.ha,
      bus: this.bus,
      topics: this.topicBus.registry,
      traces: this.traces,
      ...(this.#options.stateBridge ? { stateBridge: this.#options.stateBridge } : {}),
      ...(this.#options.deadlineMs !== undefined ? { deadlineMs: this.#options.deadlineMs } : {}),
      ...(this.#options.stepTimeoutMs !== undefined ? { stepTimeoutMs: this.#options.stepTimeoutMs } : {}),
    });
  }

  /** A restart of the add-on over the same database file: agents restored, then rules; `options` as changed by the owner meanwhile. */
  async restart(options: Partial<WorldOptions> = {}): Promise<Awaited<ReturnType<AgentRuntime['spawner']['restoreAll']>>> {
    this.#options = { ...this.#options, ...options };
    this.planner.stop();
    await this.agents.stop();
    await this.system.stop();
    this.db.close();
    this.db = openDatabase({ dataDir: this.dir.path });
    this.llm = createLlm(fakeLlmConfig(this.fake, 'anthropic'), { db: this.db, clock: this.clock, sleep: async () => {} });
    await this.#boot();
    const restored = await this.agents.spawner.restoreAll();
    await this.planner.start();
    return restored;
  }

  on(topic: string): Seen[] {
    return this.seen.filter((s) => (topic.endsWith('#') ? s.topic.startsWith(topic.slice(0, -1)) : s.topic === topic));
  }

  /** Publishes like another client on the broker would (JSON), root-relative. */
  publish(topic: string, payload: unknown): void {
    this.bus.publishRaw(`wactorz/${topic}`, JSON.stringify(payload));
  }

  /** Demo-home service calls of one service, e.g. "light.turn_on". */
  calls(service: string) {
    return this.home.serviceCalls().filter((c) => `${c.domain}.${c.service}` === service);
  }

  /**
   * Main over this world, as a user meets the planner in chat: stand-in HA parts, the planner's
   * pipeline, follow-ups and open questions, no fact extraction; `intents` adds or overrides handlers.
   */
  chatOrchestrator(options: { intents?: Partial<IntentHandlers>; routing?: 'tools' | 'classifier' } = {}): Orchestrator {
    const parts = standInParts(this.ha);
    return new Orchestrator({
      db: this.db,
      clock: this.clock,
      llm: this.llm,
      system: this.system,
      bus: this.bus,
      ...parts,
      spawner: this.agents.spawner,
      rules: this.planner.http.rules,
      plans: this.planner.http.plans,
      intents: { ...parts.intents, pipeline: this.planner.intents.pipeline, followUps: [this.planner.intents.followUp], questions: [this.planner.intents.question], ...options.intents },
      notifications: new NotificationQueue(),
      extractFacts: false,
      ...(options.routing ? { routing: options.routing } : {}),
    });
  }

  /** Plans a rule with the planner model answering `plan`, deploys it without approval, and returns its id. */
  async deployRule(plan: unknown, text: string): Promise<string> {
    this.fake.respond(byKind({ pipeline: () => reply.text(JSON.stringify(plan)) }).fn);
    const r = await this.planner.planner.handle({ text, mode: 'pipeline', bypassApproval: true, conversationId: 'c1', userId: 'alex' });
    if (r.kind !== 'rule') throw new Error(`expected a rule: ${r.text}`);
    return r.rule.id;
  }

  async close(): Promise<void> {
    this.planner.stop();
    await this.agents.stop().catch(() => undefined);
    await this.system.stop().catch(() => undefined);
    await this.ha.stop().catch(() => undefined);
    await this.home.stop().catch(() => undefined);
    await this.fake.close().catch(() => undefined);
    await this.bus.stop();
    await this.conn.close();
    await this.broker.close();
    this.db.close();
    this.dir.cleanup();
  }
}

export { eventually };

export async function startPlannerWorld(start?: number, options?: WorldOptions): Promise<PlannerWorld> {
  return new PlannerWorld(start, options).start();
}
