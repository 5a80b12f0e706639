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
import { z } from 'zod';
import type { Clock, TimerHandle } from '../../server/src/core/clock.ts';
import { decodePayload, toJsonValue } from '../../server/src/agents/dynamic/payload.ts';
import type { Json } from '../../server/src/sandbox/types.ts';
import { canonicalJson, signMessage, type Verification } from '../../server/src/agents/nodes/protocol.ts';
import { verifyNodeMessage, type NodeBody, type NodeMigrateCommand, type NodeHeartbeatBody, type NodeResult, type NodeSpawnCommand, type NodeStopCommand } from '../../server/src/agents/nodes/messages.ts';
import { externalFilterProblems } from '../../server/src/bus/external-reads.ts';
import { TaskEnvelope } from '../../server/src/bus/payloads.ts';
import { answerTask, replyTopicOf } from '../../server/src/bus/task-request.ts';
import { filterFor, parseTopic, topicFor } from '../../server/src/bus/topics.ts';
import { EdgeAgent, EdgeAgentConfig } from './edge-agent.ts';
import { AgentKv, JsonFileStore } from './kv-file.ts';
import { PersistedNonces } from './nonce-file.ts';
import type { EdgeLink } from './link.ts';

export const HEARTBEAT_MS = 10_000;
/** The commands a node obeys, and the topic each arrives on. */
const COMMANDS = { spawn: 'nodeSpawn', stop: 'nodeStop', migrate: 'nodeMigrate', list: 'nodeList' } as const;
type Obeyed = keyof typeof COMMANDS;

/** An entry of agents.json: the config as sent, and the device topics outside the root it may read. */
const SavedAgent = z.object({ config: EdgeAgentConfig, external_reads: z.array(z.string()) });
type SavedAgent = z.infer<typeof SavedAgent>;

/** What a refusal can echo of a command it did not believe: its request id and agent name, when they are text. */
const Echo = z.looseObject({ request_id: z.string().optional().catch(undefined), name: z.string().optional().catch(undefined) });

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

  async start(): Promise<void> {
    mkdirSync(this.#o.dataDir, { recursive: true });
    this.#nonces = PersistedNonces.open(join(this.#o.dataDir, 'nonces.json'), this.#o.clock.now(), (l) => this.#log(l));
    const { link, name: node } = this.#o;
    for (const [command, key] of Object.entries(COMMANDS) as [Obeyed, (typeof COMMANDS)[Obeyed]][]) {
      link.subscribeRaw(topicFor(link.root, key, { node }), (_t, raw) => void this.#serial(() => this.#command(command, raw)), this.#owner);
    }
    link.subscribeRaw(filterFor(link.root, 'agentTaskByName'), (topic, raw) => this.#task(topic, raw), this.#owner);
    for (const saved of this.#savedConfigs()) {
      try {
        await this.#startAgent(saved);
        this.#log(`restored ${saved.config.name}`);
      } catch (err) {
        this.#log(`could not restore ${saved.config.name}: ${messageOf(err)}`);
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

  async #command(command: Obeyed, raw: Buffer): Promise<void> {
    const message = decodePayload(raw);
    switch (command) {
      case 'spawn':
        return this.#obey(command, message, (cmd) => this.#spawn(cmd));
      case 'stop':
        return this.#obey(command, message, (cmd) => this.#stop(cmd));
      case 'migrate':
        return this.#obey(command, message, (cmd) => this.#migrate(cmd));
      case 'list':
        return this.#obey(command, message, (cmd) => {
          this.#reply({ command, ok: true, request_id: cmd.request_id, agents: [...this.#agents.values()].map((a) => ({ name: a.name, status: a.status })) });
        });
    }
  }

  /** Runs a command only when it is signed, fresh, new and well formed; anything else is refused and said so on result. */
  async #obey<C extends Obeyed>(command: C, message: unknown, act: (body: NodeBody<C>) => Promise<void> | void): Promise<void> {
    const verdict = this.#verify(message, command);
    if (!verdict.ok) {
      const echo = Echo.safeParse(message);
      const { request_id: requestId, name } = echo.success ? echo.data : {};
      this.#log(`refused a ${command} command${name ? ` for ${name}` : ''}: ${verdict.reason}`);
      this.#reply({ command, ok: false, ...(requestId ? { request_id: requestId } : {}), ...(name ? { name } : {}), error: `command refused by node ${this.#o.name}: ${verdict.reason}` });
      return;
    }
    try {
      await act(verdict.body);
    } catch (err) {
      const b: { request_id: string; name?: string } = verdict.body;
      this.#reply({ command, ok: false, request_id: b.request_id, ...(typeof b.name === 'string' ? { name: b.name } : {}), error: messageOf(err) });
    }
  }

  #verify<C extends Obeyed>(message: unknown, command: C): Verification<NodeBody<C>> {
    const nonces = this.#nonces;
    if (!nonces) return { ok: false, reason: 'the runner is not started' };
    try {
      return verifyNodeMessage(message, { secret: this.#o.secret, node: this.#o.name, command, now: this.#o.clock.now(), nonces });
    } catch (err) {
      // A nonce that cannot be written down could be replayed after a restart: not obeyed.
      return { ok: false, reason: `could not record its nonce in the data dir (${messageOf(err)})` };
    }
  }

  async #spawn(cmd: NodeSpawnCommand): Promise<void> {
    const { config } = cmd;
    if (config.type !== 'dynamic') throw new Error(`only dynamic agents run on a remote node (got type "${String(config.type)}"); spawn it without "node" to run it in Wactorz`);
    if (typeof config.code !== 'string' || config.name !== cmd.name) throw new Error('the spawn config has no code or its name does not match');
    const parsed = EdgeAgentConfig.safeParse(config);
    if (!parsed.success) throw new Error(`the spawn config does not fit a dynamic agent: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
    const full = parsed.data;
    // The same checks as the server's bus (bus/external-reads.ts): the secret signed this list, but
    // a filter that reaches the root, $SYS or a system topic's name is refused whoever sent it.
    const externalReads = cmd.external_reads ?? [];
    const problems = externalFilterProblems(this.#o.link.root, externalReads);
    if (problems.length) throw new Error(`the spawn's device topics outside the root are not readable filters: ${problems.join('; ')}`);
    const existing = this.#agents.get(cmd.name);
    // The server re-sends spawns at its own restart: the same config already running is kept as is.
    if (existing && existing.status === 'running' && existing.fingerprint === canonicalJson({ config: full, external_reads: externalReads }) && !cmd.state) {
      this.#reply({ command: 'spawn', ok: true, request_id: cmd.request_id, name: cmd.name, id: cmd.name, status: 'reused' });
      return;
    }
    if (existing) {
      await existing.stop();
      this.#agents.delete(cmd.name);
    }
    const warnings = await this.#startAgent({ config: full, external_reads: externalReads }, cmd.state);
    this.#reply({ command: 'spawn', ok: true, request_id: cmd.request_id, name: cmd.name, id: cmd.name, status: existing ? 'replaced' : 'spawned', warnings });
    this.#heartbeat();
  }

  async #startAgent({ config, external_reads: externalReads }: SavedAgent, state?: Record<string, Json>): Promise<string[]> {
    const agent = new EdgeAgent({ config, node: this.#o.name, link: this.#o.link, clock: this.#o.clock, kv: new AgentKv(this.#store, config.name, state), externalReads, listAgents: () => this.#summaries() });
    const warnings = await agent.start();
    this.#agents.set(config.name, agent);
    this.#saveConfigs();
    return warnings;
  }

  async #stop(cmd: NodeStopCommand): Promise<void> {
    const agent = this.#agents.get(cmd.name);
    if (agent) await agent.stop();
    this.#agents.delete(cmd.name);
    this.#store.remove(cmd.name);
    this.#saveConfigs();
    this.#reply({ command: 'stop', ok: true, request_id: cmd.request_id, name: cmd.name, ...(agent ? {} : { warnings: [`${cmd.name} was not running on ${this.#o.name}`] }) });
    this.#heartbeat();
  }

  /** Stops the agent here and hands its persisted keys back, for the server to start it on the target. */
  async #migrate(cmd: NodeMigrateCommand): Promise<void> {
    const agent = this.#agents.get(cmd.name);
    if (!agent) throw new Error(`${cmd.name} is not running on ${this.#o.name}`);
    await agent.stop();
    const state = this.#store.load(cmd.name);
    this.#agents.delete(cmd.name);
    this.#store.remove(cmd.name);
    this.#saveConfigs();
    const result: NodeResult = { command: 'migrate', ok: true, request_id: cmd.request_id, name: cmd.name, state };
    this.#reply(result);
    this.#o.link.publish('nodeMigrateResult', { node: this.#o.name }, signMessage(this.#o.secret, this.#o.name, 'migrate_result', { name: cmd.name, target: cmd.target, ok: true }, this.#o.clock.now()));
    this.#heartbeat();
  }

  #task(topic: string, raw: Buffer): void {
    const { link } = this.#o;
    const agent = this.#agents.get(parseTopic(link.root, 'agentTaskByName', topic)?.name ?? '');
    if (!agent) return;
    const env = TaskEnvelope.safeParse(decodePayload(raw));
    if (!env.success) return;
    const { payload, hops, correlation_id: correlationId } = env.data;
    // The payload came out of JSON.parse, so it is JSON; toJsonValue says so to the type checker.
    const work = agent.handleTask(toJsonValue(payload) ?? null, hops ?? 1);
    const replyTopic = replyTopicOf(link.root, env.data);
    if (replyTopic) answerTask(link, replyTopic, correlationId, work);
    else work.catch(() => undefined);
  }

  #reply(result: NodeResult): void {
    this.#o.link.publish('nodeResult', { node: this.#o.name }, signMessage(this.#o.secret, this.#o.name, 'result', result, this.#o.clock.now()));
  }

  #heartbeat(): void {
    for (const a of this.#agents.values()) a.heartbeat();
    const beat: NodeHeartbeatBody = { node: this.#o.name, host: hostname(), version: this.#o.version, agents: this.agentNames() };
    this.#o.link.publish('nodeHeartbeat', { node: this.#o.name }, signMessage(this.#o.secret, this.#o.name, 'heartbeat', beat, this.#o.clock.now()));
  }

  #summaries() {
    return [...this.#agents.values()].map((a) => ({ name: a.name, type: 'dynamic', status: a.status, ...(a.config.description ? { description: a.config.description } : {}) }));
  }

  get #configFile(): string {
    return join(this.#o.dataDir, 'agents.json');
  }

  #savedConfigs(): SavedAgent[] {
    let saved: unknown;
    try {
      saved = JSON.parse(readFileSync(this.#configFile, 'utf8'));
    } catch {
      return [];
    }
    if (!Array.isArray(saved)) return [];
    const agents: SavedAgent[] = [];
    for (const entry of saved) {
      const parsed = SavedAgent.safeParse(entry);
      if (parsed.success) {
        const problems = externalFilterProblems(this.#o.link.root, parsed.data.external_reads);
        if (problems.length === 0) agents.push(parsed.data);
        else this.#log(`could not restore ${parsed.data.config.name}: its device topics are not readable filters: ${problems.join('; ')}`);
        continue;
      }
      // A runner from before device topics saved the bare config: it had none.
      const old = EdgeAgentConfig.safeParse(entry);
      if (old.success) agents.push({ config: old.data, external_reads: [] });
      else this.#log(`could not restore an entry of agents.json: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
    }
    return agents;
  }

  #saveConfigs(): void {
    const file = this.#configFile;
    const saved: SavedAgent[] = [...this.#agents.values()].map((a) => ({ config: a.config, external_reads: [...a.externalReads] }));
    writeFileSync(`${file}.tmp`, JSON.stringify(saved));
    renameSync(`${file}.tmp`, file);
  }

  #log(line: string): void {
    (this.#o.log ?? ((l: string) => console.log(l)))(`edge ${this.#o.name}: ${line}`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
