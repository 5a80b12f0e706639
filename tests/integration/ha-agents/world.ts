// A home for HA-agent tests, all real parts: an aedes broker on port 0 with the MqttBus over one
// connection, a SQLite file in a temp dir (per-actor state, outbox, ledger), the actor system on a
// ManualClock, the demo home with the real HaClient, and optionally the LLM service pointed at a
// fake Anthropic server. `restart()` builds a new actor system over the same database file, as a
// restart of the add-on would. Every message under the root is recorded in `seen`.
import type { IPublishPacket } from 'mqtt';
import { connectMqtt, type MqttConnection } from '../../../server/src/bus/connection.ts';
import type { EmbeddedBroker } from '../../../server/src/bus/embedded-broker.ts';
import { MqttBus } from '../../../server/src/bus/mqtt-bus.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { ActorSystem } from '../../../server/src/core/system.ts';
import type { DemoHome } from '../../../server/src/ha/demo/demo-home.ts';
import type { LiveHaClient } from '../../../server/src/ha/live-client.ts';
import { createLlm, type LlmService } from '../../../server/src/llm/index.ts';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';
import { SqliteOutbox } from '../../../server/src/store/outbox.ts';
import { startAedes } from '../../helpers/brokers.ts';
import { fakeLlmConfig, startFakeLlm, type FakeLlmServer } from '../../helpers/fake-llm/index.ts';
import { connectClient, startDemoHome } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

export interface Seen {
  topic: string;
  payload: unknown;
  qos: number;
  retained: boolean;
}

export class HaAgentsWorld {
  readonly clock = new ManualClock(Date.UTC(2026, 0, 10, 12, 0, 0));
  readonly dir = makeTempDir('wactorz-ha-agents-');
  readonly seen: Seen[] = [];
  broker!: EmbeddedBroker;
  conn!: MqttConnection;
  bus!: MqttBus;
  db!: Db;
  system!: ActorSystem;
  home!: DemoHome;
  ha!: LiveHaClient;
  fake: FakeLlmServer | undefined;
  llm: LlmService | undefined;

  get root(): string {
    return this.bus.root;
  }

  async start(opts: { llm?: boolean; externalReads?: string[] } = {}): Promise<this> {
    this.broker = await startAedes();
    this.conn = connectMqtt({ mode: 'external', url: this.broker.url }, `ha-agents-${Math.random().toString(16).slice(2, 8)}`, { reconnectBaseMs: 50, reconnectCapMs: 200 });
    this.db = openDatabase({ dataDir: this.dir.path });
    this.bus = new MqttBus({ connection: this.conn, root: 'wactorz', outbox: new SqliteOutbox(this.db), externalReads: opts.externalReads ?? [] });
    await this.bus.start();
    await eventually(() => this.bus.connected(), 'bus connected');
    // A raw listener on the shared connection, to see QoS and retain flags as they arrive.
    this.conn.client.on('message', (topic: string, payload: Buffer, packet: IPublishPacket) => {
      if (!topic.startsWith('wactorz/')) return;
      const text = payload.toString('utf8');
      let value: unknown = text;
      try {
        value = JSON.parse(text);
      } catch {
        // kept as text
      }
      this.seen.push({ topic, payload: value, qos: packet.qos, retained: packet.retain });
    });
    await new Promise<void>((resolve, reject) => this.conn.client.subscribe('wactorz/#', { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    this.home = await startDemoHome();
    this.ha = await connectClient(this.home);
    await this.ha.ready();
    if (opts.llm) {
      this.fake = await startFakeLlm();
      this.llm = createLlm(fakeLlmConfig(this.fake, 'anthropic'), { db: this.db, clock: this.clock, sleep: async () => {} });
    }
    await this.#startSystem();
    return this;
  }

  async #startSystem(): Promise<void> {
    this.system = new ActorSystem({ clock: this.clock, bus: this.bus, store: new SqliteKeyValueStore(this.db) });
    await this.system.start();
  }

  /** Stops the actor system and starts a new one over the same SQLite file (an add-on restart). */
  async restart(between?: () => Promise<void>): Promise<void> {
    await this.system.stop();
    this.db.close();
    await between?.();
    this.db = openDatabase({ dataDir: this.dir.path });
    await this.#startSystem();
  }

  /** Messages seen on a root-relative topic, or under a prefix ending in '#'. */
  on(topic: string): Seen[] {
    const full = `${this.root}/${topic}`;
    return this.seen.filter((s) => (full.endsWith('#') ? s.topic.startsWith(full.slice(0, -1)) : s.topic === full));
  }

  /** Publishes JSON under the root, as another client of the broker would. */
  publish(topic: string, payload: unknown): void {
    this.bus.publishRaw(`${this.root}/${topic}`, JSON.stringify(payload), { qos: 1 });
  }

  /** Resolves once the broker processed every SUBSCRIBE sent so far (it handles a client's packets in order). */
  synced(): Promise<void> {
    return new Promise((resolve, reject) => this.conn.client.subscribe(`sync/${Math.random().toString(16).slice(2)}`, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    await this.system.stop().catch(() => undefined);
    await this.ha.stop().catch(() => undefined);
    await this.home.stop().catch(() => undefined);
    await this.fake?.close().catch(() => undefined);
    await this.bus.stop();
    await this.conn.close();
    await this.broker.close();
    this.db.close();
    this.dir.cleanup();
  }
}

import { eventually as poll } from '../../helpers/eventually.ts';

/** Polls until check() holds (network deliveries); gives up after 10 s by default. */
export function eventually(check: () => boolean, what: string | (() => string), limitMs = 10_000): Promise<void> {
  return poll(check, what, limitMs);
}

export async function startWorld(opts: { llm?: boolean; externalReads?: string[] } = {}): Promise<HaAgentsWorld> {
  return new HaAgentsWorld().start(opts);
}
