// The edge runner: listens on <root>/nodes/{name}/spawn|stop|migrate|list, refuses every command
// that is not signed with this node's secret (or is stale, or replayed), runs the dynamic agents
// it is given in the server's sandbox, answers on nodes/{name}/result (signed too, so the server
// can trust the acks), and announces itself on nodes/{name}/heartbeat every 10 s, signed as well:
// the server believes a node is alive only from heartbeats it can verify. Agents survive a reboot
// of the Pi: their configs are kept in the data dir and started again at boot, and so are the
// nonces of the commands already obeyed (nonce-file.ts), so a replay after a restart is refused.
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../../server/src/core/clock.ts';
import { decodePayload } from '../../server/src/agents/dynamic/payload.ts';
import type { Json } from '../../server/src/sandbox/types.ts';
import { canonicalJson, signMessage, verifyMessage, type NodeCommand, type Verification } from '../../server/src/agents/nodes/protocol.ts';
import type { MigrateCommand, NodeResult, SpawnCommand, StopCommand } from '../../server/src/agents/nodes/messages.ts';
import { EdgeAgent, type EdgeAgentConfig } from './edge-agent.ts';
import { AgentKv, JsonFileStore } from './kv-file.ts';
import { PersistedNonces } from './nonce-file.ts';
import type { EdgeLink } from './link.ts';

export const HEARTBEAT_MS = 10_000;
const COMMANDS: readonly NodeCommand[] = ['spawn', 'stop', 'migrate', 'list'];

export interface EdgeRunnerOptions {
  name: string;
  secret: string;
  dataDir: string;
  link: EdgeLink;
  clock: Clock;
  version: string;
  log?: (line: string) => void;
}

export class EdgeRunner {
  readonly #o: EdgeRunnerOptions;
  readonly #agents = new Map<string, EdgeAgent>();
  #nonces: PersistedNonces | undefined;
  readonly #store: JsonFileStore;
  readonly #owner = {};
  #queue: Promise<unknown> = Promise.resolve();
  #beat: TimerHandle | undefined;

  constructor(o: EdgeRunnerOptions) {
    this.#o = o;
    this.#store = new JsonFileStore(join(o.dataDir, 'kv'));
  }

  get #base(): string {
    return `${this.#o.link.root}/nodes/${this.#o.name}`;
  }

  async start(): Promise<void> {
    mkdirSync(this.#o.dataDir, { recursive: true });
    this.#nonces = PersistedNonces.open(join(this.#o.dataDir, 'nonces.json'), this.#o.clock.now(), (l) => this.#log(l));
    for (const command of COMMANDS) {
      this.#o.link.subscribeRaw(`${this.#base}/${command}`, (_t, raw) => void this.#serial(() => this.#command(command, raw)), this.#owner);
    }
    this.#o.link.subscribeRaw(`${this.#o.link.root}/agents/by-name/+/task`, (topic, raw) => this.#task(topic, raw), this.#owner);
    for (const config of this.#savedConfigs()) {
      try {
        await this.#startAgent(config);
        this.#log(`restored ${config.name}`);
      } catch (err) {
        this.#log(`could not restore ${config.name}: ${messageOf(err)}`);
      }
    }
    this.#heartbeat();
    this.#beat = this.#o.clock.setInterval(() => this.#heartbeat(), HEARTBEAT_MS);
  }

  async stop(): Promise<void> {
    this.#beat?.cancel();
    this.#o.link.removeOwner(this.#owner);
    await this.#queue.catch(() => undefined);
    for (const a of this.#agents.values()) await a.stop();
    this.#agents.clear();
  }

  agentNames(): string[] {
    return [...this.#agents.keys()];
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #command(command: NodeCommand, raw: Buffer): Promise<void> {
    const message = decodePayload(raw);
    const verdict = this.#verify(message, command);
    if (!verdict.ok) {
      const m = message as { request_id?: unknown; name?: unknown } | null;
      const requestId = m && typeof m === 'object' && typeof m.request_id === 'string' ? m.request_id : undefined;
      const name = m && typeof m === 'object' && typeof m.name === 'string' ? m.name : undefined;
      this.#log(`refused a ${command} command${name ? ` for ${name}` : ''}: ${verdict.reason}`);
      this.#reply({ command, ok: false, ...(requestId ? { request_id: requestId } : {}), ...(name ? { name } : {}), error: `command refused by node ${this.#o.name}: ${verdict.reason}` });
      return;
    }
    try {
      switch (command) {
        case 'spawn':
          await this.#spawn(verdict.body as unknown as SpawnCommand);
          return;
        case 'stop':
          await this.#stop(verdict.body as unknown as StopCommand);
          return;
        case 'migrate':
          await this.#migrate(verdict.body as unknown as MigrateCommand);
          return;
        case 'list':
          this.#reply({ command, ok: true, request_id: String(verdict.body.request_id), agents: [...this.#agents.values()].map((a) => ({ name: a.name, status: a.status })) });
          return;
        case 'result':
        case 'heartbeat':
        case 'migrate_result':
          return;
      }
    } catch (err) {
      const b = verdict.body as { request_id?: unknown; name?: unknown };
      this.#reply({ command, ok: false, request_id: String(b.request_id), ...(typeof b.name === 'string' ? { name: b.name } : {}), error: messageOf(err) });
    }
  }

  #verify(message: unknown, command: NodeCommand): Verification<Record<string, unknown>> {
    const nonces = this.#nonces;
    if (!nonces) return { ok: false, reason: 'the runner is not started' };
    try {
      return verifyMessage(message, { secret: this.#o.secret, node: this.#o.name, command, now: this.#o.clock.now(), nonces });
    } catch (err) {
      // A nonce that cannot be written down could be replayed after a restart: not obeyed.
      return { ok: false, reason: `could not record its nonce in the data dir (${messageOf(err)})` };
    }
  }

  async #spawn(cmd: SpawnCommand): Promise<void> {
    const config = cmd.config as Partial<EdgeAgentConfig>;
    if (config.type !== 'dynamic') throw new Error(`only dynamic agents run on a remote node (got type "${String(config.type)}"); spawn it without "node" to run it in Wactorz`);
    if (typeof config.code !== 'string' || config.name !== cmd.name) throw new Error('the spawn config has no code or its name does not match');
    const full = config as EdgeAgentConfig;
    const existing = this.#agents.get(cmd.name);
    // The server re-sends spawns at its own restart: the same config already running is kept as is.
    if (existing && existing.status === 'running' && existing.fingerprint === canonicalJson(full) && !cmd.state) {
      this.#reply({ command: 'spawn', ok: true, request_id: cmd.request_id, name: cmd.name, id: cmd.name, status: 'reused' });
      return;
    }
    if (existing) {
      await existing.stop();
      this.#agents.delete(cmd.name);
    }
    const warnings = await this.#startAgent(full, cmd.state);
    this.#reply({ command: 'spawn', ok: true, request_id: cmd.request_id, name: cmd.name, id: cmd.name, status: existing ? 'replaced' : 'spawned', warnings });
    this.#heartbeat();
  }

  async #startAgent(config: EdgeAgentConfig, state?: Record<string, Json>): Promise<string[]> {
    const agent = new EdgeAgent({ config, node: this.#o.name, link: this.#o.link, clock: this.#o.clock, kv: new AgentKv(this.#store, config.name, state), listAgents: () => this.#summaries() });
    const warnings = await agent.start();
    this.#agents.set(config.name, agent);
    this.#saveConfigs();
    return warnings;
  }

  async #stop(cmd: StopCommand): Promise<void> {
    const agent = this.#agents.get(cmd.name);
    if (agent) await agent.stop();
    this.#agents.delete(cmd.name);
    this.#store.remove(cmd.name);
    this.#saveConfigs();
    this.#reply({ command: 'stop', ok: true, request_id: cmd.request_id, name: cmd.name, ...(agent ? {} : { warnings: [`${cmd.name} was not running on ${this.#o.name}`] }) });
    this.#heartbeat();
  }

  /** Stops the agent here and hands its persisted keys back, for the server to start it on the target. */
  async #migrate(cmd: MigrateCommand): Promise<void> {
    const agent = this.#agents.get(cmd.name);
    if (!agent) throw new Error(`${cmd.name} is not running on ${this.#o.name}`);
    await agent.stop();
    const state = this.#store.load(cmd.name);
    this.#agents.delete(cmd.name);
    this.#store.remove(cmd.name);
    this.#saveConfigs();
    const result: NodeResult = { command: 'migrate', ok: true, request_id: cmd.request_id, name: cmd.name, state };
    this.#reply(result);
    this.#o.link.publishRaw(`${this.#base}/migrate_result`, signMessage(this.#o.secret, this.#o.name, 'migrate_result', { name: cmd.name, target: cmd.target, ok: true }, this.#o.clock.now()), { qos: 1 });
    this.#heartbeat();
  }

  #task(topic: string, raw: Buffer): void {
    const name = topic.split('/').at(-2) ?? '';
    const agent = this.#agents.get(name);
    if (!agent) return;
    const env = decodePayload(raw) as { payload?: Json; correlation_id?: unknown; reply_topic?: unknown; hops?: unknown } | null;
    if (env === null || typeof env !== 'object') return;
    const replyTopic = typeof env.reply_topic === 'string' && env.reply_topic.startsWith(`${this.#o.link.root}/`) ? env.reply_topic : undefined;
    const hops = typeof env.hops === 'number' ? env.hops : 1;
    agent.handleTask(env.payload ?? null, hops).then(
      (data) => replyTopic && this.#o.link.publishRaw(replyTopic, { status: 'ok', correlation_id: env.correlation_id, data }, { qos: 1 }),
      (err: unknown) => replyTopic && this.#o.link.publishRaw(replyTopic, { status: 'error', correlation_id: env.correlation_id, error: { code: 'task_failed', message: messageOf(err) } }, { qos: 1 }),
    );
  }

  #reply(result: NodeResult): void {
    this.#o.link.publishRaw(`${this.#base}/result`, signMessage(this.#o.secret, this.#o.name, 'result', result, this.#o.clock.now()), { qos: 1 });
  }

  #heartbeat(): void {
    for (const a of this.#agents.values()) a.heartbeat();
    const beat = { node: this.#o.name, host: hostname(), version: this.#o.version, agents: this.agentNames() };
    this.#o.link.publishRaw(`${this.#base}/heartbeat`, signMessage(this.#o.secret, this.#o.name, 'heartbeat', beat, this.#o.clock.now()));
  }

  #summaries() {
    return [...this.#agents.values()].map((a) => ({ name: a.name, type: 'dynamic', status: a.status, ...(a.config.description ? { description: a.config.description } : {}) }));
  }

  get #configFile(): string {
    return join(this.#o.dataDir, 'agents.json');
  }

  #savedConfigs(): EdgeAgentConfig[] {
    try {
      const v = JSON.parse(readFileSync(this.#configFile, 'utf8')) as unknown;
      return Array.isArray(v) ? (v as EdgeAgentConfig[]) : [];
    } catch {
      return [];
    }
  }

  #saveConfigs(): void {
    const file = this.#configFile;
    writeFileSync(`${file}.tmp`, JSON.stringify([...this.#agents.values()].map((a) => a.config)));
    renameSync(`${file}.tmp`, file);
  }

  #log(line: string): void {
    (this.#o.log ?? ((l: string) => console.log(l)))(`edge ${this.#o.name}: ${line}`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
