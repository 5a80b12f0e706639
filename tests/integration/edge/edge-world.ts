// An edge test world: aedes on port 0, the server's MqttBus, actor system and spawner over a SQLite
// file, EdgeNodes as the spawner's RemoteNodes, NodeDirectory, and real edge runner processes
// (Node 24 = process.execPath, --no-node-snapshot) started with their own secret files.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { createAgentRuntime, type AgentRuntime } from '../../../server/src/agents/spawner/assemble.ts';
import { EdgeNodes } from '../../../server/src/agents/nodes/edge-nodes.ts';
import { NodeSecretStore } from '../../../server/src/agents/nodes/secrets.ts';
import { connectMqtt, type MqttConnection } from '../../../server/src/bus/connection.ts';
import type { EmbeddedBroker } from '../../../server/src/bus/embedded-broker.ts';
import { MqttBus } from '../../../server/src/bus/mqtt-bus.ts';
import { systemClock } from '../../../server/src/core/clock.ts';
import { ActorSystem } from '../../../server/src/core/system.ts';
import { NodeDirectory } from '../../../server/src/services/nodes.ts';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';
import { SqliteOutbox } from '../../../server/src/store/outbox.ts';
import { SqliteSpawnRegistry } from '../../../server/src/store/spawn-registry.ts';
import { startAedes } from '../../helpers/brokers.ts';
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
  broker!: EmbeddedBroker;
  db!: Db;
  conn!: MqttConnection;
  bus!: MqttBus;
  system!: ActorSystem;
  agents!: AgentRuntime;
  nodes!: EdgeNodes;
  secrets!: NodeSecretStore;
  directory!: NodeDirectory;
  readonly dir = makeTempDir('wactorz-edge-');
  readonly edges: EdgeProcess[] = [];
  /** A raw client that watches everything under the root (what a user would see on the broker). */
  watcher!: mqtt.MqttClient;
  readonly seen: { topic: string; payload: string }[] = [];

  async start(): Promise<this> {
    this.broker = await startAedes();
    this.db = openDatabase({ dataDir: this.dir.path });
    this.conn = connectMqtt({ mode: 'external', url: this.broker.url }, `edge-world-${Math.random().toString(16).slice(2, 8)}`, { reconnectBaseMs: 50, reconnectCapMs: 200 });
    this.bus = new MqttBus({ connection: this.conn, root: 'wactorz', outbox: new SqliteOutbox(this.db) });
    await this.bus.start();
    this.system = new ActorSystem({ clock: systemClock, bus: this.bus, store: new SqliteKeyValueStore(this.db) });
    await this.system.start();
    const registry = new SqliteSpawnRegistry(this.db);
    this.secrets = new NodeSecretStore(this.db);
    this.nodes = new EdgeNodes({ bus: this.bus, secrets: this.secrets, clock: systemClock, registry, system: this.system, ackTimeoutMs: 15_000 });
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
    await waitFor(() => this.nodes.online(name) || (proc.exitCode !== null && Promise.reject(new Error(`edge ${name} exited: ${out}`))), `edge ${name} to send a heartbeat`);
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
