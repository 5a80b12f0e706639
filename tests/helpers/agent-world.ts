// A whole world for spawned-agent tests, all real parts: an aedes broker on port 0 and the MqttBus
// over one connection, a SQLite file in a temp dir, the actor system on a ManualClock, the LLM
// service pointed at a fake Anthropic server, the demo home with a real HA client (its state
// changes bridged to ha/state_changes/{domain}/{entity_id}), the TopicBus, and the agent runtime
// (spawner, dynamic/llm types, catalog). `restart()` builds a new ActorSystem over the same
// database file, as a restart of the add-on would.
import { connectMqtt, type MqttConnection } from '../../server/src/bus/connection.ts';
import type { EmbeddedBroker } from '../../server/src/bus/embedded-broker.ts';
import { MqttBus } from '../../server/src/bus/mqtt-bus.ts';
import { TopicBus } from '../../server/src/bus/topic-bus/topic-bus.ts';
import { ManualClock } from '../../server/src/core/clock.ts';
import { ActorSystem } from '../../server/src/core/system.ts';
import type { DemoHome } from '../../server/src/ha/demo/demo-home.ts';
import type { LiveHaClient } from '../../server/src/ha/live-client.ts';
import { createLlm, type LlmService } from '../../server/src/llm/index.ts';
import { createHttpFetcher } from '../../server/src/sandbox/fetch/fetcher.ts';
import { createFetchPolicy } from '../../server/src/sandbox/fetch/policy.ts';
import type { SandboxLimits } from '../../server/src/sandbox/limits.ts';
import { openDatabase, type Db } from '../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../server/src/store/kv.ts';
import { SqliteOutbox } from '../../server/src/store/outbox.ts';
import { createAgentRuntime, type AgentRuntime } from '../../server/src/agents/spawner/assemble.ts';
import { startAedes } from './brokers.ts';
import { fakeLlmConfig, startFakeLlm, type FakeLlmServer } from './fake-llm/index.ts';
import { connectClient, startDemoHome } from './ha.ts';
import { makeTempDir } from './tmp.ts';
import { eventually } from './eventually.ts';

export interface WorldOptions {
  /** Recipes folder for the catalog; null (default) runs without one. */
  recipesDir?: string | null;
  limits?: Partial<SandboxLimits>;
  /** Addresses http.fetch may reach although private (a local test server). */
  allowAddresses?: string[];
  budgetDailyUsd?: number;
  /** Filters outside the root agents may read (the mqtt_read_topics option). */
  externalReads?: string[];
}

export interface Seen {
  topic: string;
  payload: unknown;
  retained: boolean;
}

export class AgentWorld {
  readonly clock = new ManualClock();
  readonly dir = makeTempDir('wactorz-agents-');
  readonly options: WorldOptions;
  broker!: EmbeddedBroker;
  conn!: MqttConnection;
  bus!: MqttBus;
  db!: Db;
  system!: ActorSystem;
  llm!: LlmService;
  fake!: FakeLlmServer;
  home!: DemoHome;
  ha!: LiveHaClient;
  topicBus!: TopicBus;
  agents!: AgentRuntime;
  /** Every message on the broker under the root, as the bus saw it. */
  readonly seen: Seen[] = [];
  #offBridge: (() => void) | undefined;

  constructor(options: WorldOptions = {}) {
    this.options = options;
  }

  get root(): string {
    return this.bus.root;
  }

  async start(): Promise<this> {
    this.broker = await startAedes();
    this.conn = connectMqtt({ mode: 'external', url: this.broker.url }, `world-${Math.random().toString(16).slice(2, 8)}`, { reconnectBaseMs: 50, reconnectCapMs: 200 });
    this.db = openDatabase({ dataDir: this.dir.path });
    this.bus = new MqttBus({ connection: this.conn, root: 'wactorz', outbox: new SqliteOutbox(this.db), externalReads: this.options.externalReads ?? [] });
    await this.bus.start();
    await eventually(() => this.bus.connected(), 'bus connected');
    this.bus.subscribeRaw('wactorz/#', (topic, payload) => {
      const text = payload.toString('utf8');
      let value: unknown = text;
      try {
        value = JSON.parse(text);
      } catch {
        // kept as text
      }
      this.seen.push({ topic, payload: value, retained: false });
    }, this);
    this.fake = await startFakeLlm();
    this.llm = createLlm(fakeLlmConfig(this.fake, 'anthropic', { budget: { dailyUsd: this.options.budgetDailyUsd, weeklyUsd: undefined, monthlyUsd: undefined } }), { db: this.db, clock: this.clock, sleep: async () => {} });
    this.home = await startDemoHome();
    this.ha = await connectClient(this.home);
    await this.ha.ready();
    // The HA state bridge, reduced to what these tests need.
    this.#offBridge = this.ha.onStateChange((c) => {
      const domain = c.entityId.split('.')[0] ?? '';
      this.bus.publish('haStateChange', { domain, entity_id: c.entityId }, { entity_id: c.entityId, domain, new_state: c.newState, old_state: c.oldState });
    });
    await this.#startSystem();
    return this;
  }

  async #startSystem(): Promise<void> {
    this.topicBus = new TopicBus({ clock: this.clock });
    this.system = new ActorSystem({ clock: this.clock, bus: this.bus, store: new SqliteKeyValueStore(this.db) });
    await this.system.start();
    const fetcher = createHttpFetcher(createFetchPolicy({ allowedAddresses: this.options.allowAddresses ?? [] }), this.clock);
    this.agents = createAgentRuntime({
      system: this.system,
      db: this.db,
      clock: this.clock,
      llm: this.llm,
      ha: this.ha,
      topicBus: this.topicBus,
      fetcher,
      limits: this.options.limits,
      recipesDir: this.options.recipesDir ?? null,
    });
    await this.agents.start();
  }

  /** Stops the actor system and builds a new one over the same SQLite file; restores spawned agents. */
  async restart(): Promise<Awaited<ReturnType<AgentRuntime['spawner']['restoreAll']>>> {
    await this.agents.stop();
    await this.system.stop();
    this.db.close();
    this.db = openDatabase({ dataDir: this.dir.path });
    this.llm = createLlm(fakeLlmConfig(this.fake, 'anthropic'), { db: this.db, clock: this.clock, sleep: async () => {} });
    await this.#startSystem();
    return this.agents.spawner.restoreAll();
  }

  /** Messages seen on a root-relative topic (or filter prefix with a trailing '#'). */
  on(topic: string): Seen[] {
    const full = `${this.root}/${topic}`;
    return this.seen.filter((s) => (full.endsWith('#') ? s.topic.startsWith(full.slice(0, -1)) : s.topic === full));
  }

  /** Publishes like another client would (JSON), under the root. */
  publish(topic: string, payload: unknown): void {
    this.bus.publishRaw(`${this.root}/${topic}`, JSON.stringify(payload));
  }

  async close(): Promise<void> {
    this.#offBridge?.();
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

/** eventually() for checks that ask an agent: one ask at a time, never one left dangling. */
export async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string, limitMs = 15_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function startWorld(options: WorldOptions = {}): Promise<AgentWorld> {
  return new AgentWorld(options).start();
}
