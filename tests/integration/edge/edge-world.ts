// An edge test world: aedes on port 0 (or a real Mosquitto), the server's MqttBus, actor system and spawner over a SQLite
// file, EdgeNodes as the spawner's RemoteNodes, NodeDirectory, and real edge runner processes
// (Node 24 = process.execPath, --no-node-snapshot) started with their own secret files.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { createAgentRuntime, type AgentRuntime } from '../../../server/src/agents/spawner/assemble.ts';
import { EdgeNodes, type EdgeNodesOptions } from '../../../server/src/agents/nodes/edge-nodes.ts';
import { NodeSecretStore } from '../../../server/src/agents/nodes/secrets.ts';
import { connectMqtt, type MqttConnection } from '../../../server/src/bus/connection.ts';
import { MqttBus } from '../../../server/src/bus/mqtt-bus.ts';
import { systemClock } from '../../../server/src/core/clock.ts';
import { ActorSystem } from '../../../server/src/core/system.ts';
import { NodeDirectory } from '../../../server/src/services/nodes.ts';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';
import { SqliteOutbox } from '../../../server/src/store/outbox.ts';
import { SqliteSpawnRegistry } from '../../../server/src/store/spawn-registry.ts';
import { startAedes, startMosquitto } from '../../helpers/brokers.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const MAIN = new URL('../../../edge-runner/src/main.ts', import.meta.url).pathname;

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface EdgeProcess {
  name: string;
  proc: ChildProcess;
  output(): string;
  dataDir: string;
  kill(): Promise<void>;
}

export class EdgeWorld {
  broker!: { url: string; close(): Promise<void> };
  db!: Db;
  conn!: MqttConnection;
  bus!: MqttBus;
  system!: ActorSystem;
  agents!: AgentRuntime;
  nodes!: EdgeNodes;
  secrets!: NodeSecretStore;
  registry!: SqliteSpawnRegistry;
  directory!: NodeDirectory;
  readonly dir = makeTempDir('wactorz-edge-');
  readonly edges: EdgeProcess[] = [];
  /** A raw client that watches everything under the root (what a user would see on the broker). */
  watcher!: mqtt.MqttClient;
  readonly seen: { topic: string; payload: string }[] = [];
  /** What EdgeNodes logged as warnings (dropped heartbeats and answers, refusals). */
  readonly warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  readonly #brokerKind: 'aedes' | 'mosquitto';
  readonly #externalReads: readonly string[];

  /** `externalReads`: the server's mqtt_read_topics (device topics outside the root agents may read). */
  constructor(o: { broker?: 'aedes' | 'mosquitto'; externalReads?: readonly string[] } = {}) {
    this.#brokerKind = o.broker ?? 'aedes';
    this.#externalReads = o.externalReads ?? [];
  }

  async start(): Promise<this> {
    if (this.#brokerKind === 'mosquitto') {
      const m = await startMosquitto();
      this.broker = { url: m.url, close: () => m.stop() };
    } else {
      this.broker = await startAedes();
    }
    this.db = openDatabase({ dataDir: this.dir.path });
    this.conn = connectMqtt({ mode: 'external', url: this.broker.url }, `edge-world-${Math.random().toString(16).slice(2, 8)}`, { reconnectBaseMs: 50, reconnectCapMs: 200 });
    this.bus = new MqttBus({ connection: this.conn, root: 'wactorz', outbox: new SqliteOutbox(this.db), externalReads: this.#externalReads });
    await this.bus.start();
    this.system = new ActorSystem({ clock: systemClock, bus: this.bus, store: new SqliteKeyValueStore(this.db) });
    await this.system.start();
    const registry = new SqliteSpawnRegistry(this.db);
    this.registry = registry;
    this.secrets = new NodeSecretStore(this.db);
    const warn = (obj: object, msg: string) => void this.warnings.push({ obj: obj as Record<string, unknown>, msg });
    const logger = { warn, info: () => undefined, debug: () => undefined, error: () => undefined } as unknown as NonNullable<EdgeNodesOptions['logger']>;
    this.nodes = new EdgeNodes({ bus: this.bus, secrets: this.secrets, clock: systemClock, registry, system: this.system, ackTimeoutMs: 15_000, logger });
    this.nodes.start();
    this.agents = createAgentRuntime({ system: this.system, db: this.db, remote: this.nodes, registry, recipesDir: null });
    this.nodes.attach(this.agents.spawner);
    await this.agents.start();
    this.directory = new NodeDirectory(this.system, systemClock);
    this.directory.start(this.nodes);
    this.watcher = await mqtt.connectAsync(this.broker.url);
    this.watcher.on('message', (topic, payload) => this.seen.push({ topic, payload: payload.toString('utf8') }));
    await this.watcher.subscribeAsync('wactorz/#');
    return this;
  }

  /** Deploy-time secret (what deploy.ts uploads) and a running edge runner using it. */
  async startEdge(name: string, secret = this.secrets.ensure(name)): Promise<EdgeProcess> {
    const edge = this.#spawnEdge(name, secret);
    await waitFor(() => this.nodes.online(name) || (edge.proc.exitCode !== null && Promise.reject(new Error(`edge ${name} exited: ${edge.output()}`))), `edge ${name} to send a heartbeat`);
    return edge;
  }

  /** Stops the runner (SIGTERM) and starts it again on the same data dir and secret, as a reboot of the Pi does. */
  async restartEdge(edge: EdgeProcess): Promise<EdgeProcess> {
    await edge.kill();
    const next = this.#spawnEdge(edge.name, this.secrets.ensure(edge.name));
    await waitFor(() => next.output().includes('listening on') || (next.proc.exitCode !== null && Promise.reject(new Error(`edge ${edge.name} exited: ${next.output()}`))), `edge ${edge.name} to start again`);
    return next;
  }

  #spawnEdge(name: string, secret: string): EdgeProcess {
    const dataDir = join(this.dir.path, `edge-${name}`);
    const secretFile = join(this.dir.path, `${name}.secret`);
    writeFileSync(secretFile, secret, { mode: 0o600 });
    const proc = spawn(process.execPath, ['--no-node-snapshot', MAIN, '--broker', this.broker.url, '--name', name, '--secret-file', secretFile, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const edge: EdgeProcess = {
      name,
      proc,
      dataDir,
      output: () => out,
      kill: () =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null) return resolve();
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
        }),
    };
    this.edges.push(edge);
    return edge;
  }

  messagesOn(topic: string): unknown[] {
    return this.seen.filter((m) => m.topic === topic).map((m) => JSON.parse(m.payload) as unknown);
  }

  async stop(): Promise<void> {
    for (const e of this.edges) await e.kill();
    await this.watcher?.endAsync();
    this.directory?.stop();
    this.nodes?.stop();
    await this.agents?.stop().catch(() => undefined);
    await this.system?.stop().catch(() => undefined);
    await this.bus?.stop();
    await this.conn?.close();
    await this.broker?.close();
    this.db?.close();
    this.dir.cleanup();
  }
}
