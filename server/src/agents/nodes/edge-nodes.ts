// The spawner's RemoteNodes: spawn, stop, list and migrate agents on edge runners over signed MQTT
// commands (protocol.ts), each awaiting the node's signed answer on nodes/{name}/result with a
// timeout. A node that was never deployed, or sent no verified heartbeat for 30 s (heartbeats.ts:
// liveness comes from signed heartbeats only), is refused at once with a message that says so,
// instead of a command nobody will answer. Answers are believed only when signed by the node.
import { randomBytes } from 'node:crypto';
import type { Bus, Unsubscribe } from '../../bus/bus.ts';
import { TOPICS, filterFor, parseTopic, topicFor } from '../../bus/topics.ts';
import type { Clock } from '../../core/clock.ts';
import { isTerminal } from '../../core/lifecycle.ts';
import type { ActorSystem, LogSink } from '../../core/system.ts';
import type { Json } from '../../sandbox/types.ts';
import type { SpawnRegistry } from '../../store/spawn-registry.ts';
import type { SpawnConfig } from '../spawn-config/config-schema.ts';
import type { AgentSpawner, SpawnOrigin } from '../spawner/agent-spawner.ts';
import type { RemoteNodes } from '../spawner/remote.ts';
import type { NodeInfo } from '../../contract/nodes.ts';
import { DropLog } from './drop-log.ts';
import { NodeHeartbeats, OFFLINE_AFTER_MS } from './heartbeats.ts';
import { verifyNodeMessage, type EdgeAgentInfo, type NodeResult } from './messages.ts';
import { NonceCache, signMessage } from './protocol.ts';
import type { NodeSecretStore } from './secrets.ts';

export { OFFLINE_AFTER_MS };
/** Starting an isolate on a Pi takes a moment; a node that does not answer in this time is stuck. */
export const DEFAULT_ACK_TIMEOUT_MS = 20_000;
export const LOCAL_NODE = 'local';
/** The commands sent to a node, and the topic each goes out on. */
const REQUEST_TOPICS = { spawn: 'nodeSpawn', stop: 'nodeStop', migrate: 'nodeMigrate', list: 'nodeList' } as const;
type RequestKind = keyof typeof REQUEST_TOPICS;

export interface EdgeNodesOptions {
  bus: Bus;
  secrets: NodeSecretStore;
  clock: Clock;
  registry: SpawnRegistry;
  system?: ActorSystem;
  ackTimeoutMs?: number;
  logger?: LogSink;
}

interface Pending {
  node: string;
  resolve(result: NodeResult): void;
  reject(error: Error): void;
}

/** What a node sent that nobody asked for: mostly refusals of forged or replayed commands. */
export type NodeReport = { node: string; result: NodeResult };

export class EdgeNodes implements RemoteNodes {
  readonly #o: EdgeNodesOptions;
  readonly #heartbeats: NodeHeartbeats;
  readonly #droppedAnswers: DropLog;
  readonly #refusals: DropLog;
  readonly #pending = new Map<string, Pending>();
  readonly #nonces = new NonceCache();
  readonly #carry = new Map<string, Record<string, Json>>();
  readonly #listeners = new Set<(r: NodeReport) => void>();
  #spawner: AgentSpawner & { meta?: { get(name: string): { origin: SpawnOrigin } | undefined } } | undefined;
  #unsubs: Unsubscribe[] = [];

  constructor(options: EdgeNodesOptions) {
    this.#o = options;
    this.#heartbeats = new NodeHeartbeats({ secrets: options.secrets, clock: options.clock, logger: options.logger });
    this.#droppedAnswers = new DropLog(options.logger, options.clock, 'ignored an answer from a node that is not signed with its secret');
    // Anyone can make a node refuse (a forged command); its signed refusals must not flood the log either.
    this.#refusals = new DropLog(options.logger, options.clock, 'a node refused a command');
  }

  /** The spawner, for migrations (it is built with this object, so it comes in afterwards). */
  attach(spawner: AgentSpawner & { meta?: { get(name: string): { origin: SpawnOrigin } | undefined } }): void {
    this.#spawner = spawner;
  }

  start(): void {
    const { bus } = this.#o;
    // Raw, not typed: what fails the schema must still reach the verifier, which says why it is
    // dropped (an unsigned heartbeat means an old runner that needs a redeploy).
    this.#unsubs.push(
      bus.subscribeRaw(filterFor(bus.root, 'nodeHeartbeat'), (topic, raw) => void this.#heartbeats.receive(parseTopic(bus.root, 'nodeHeartbeat', topic)?.node ?? '', raw), this),
      bus.subscribeRaw(filterFor(bus.root, 'nodeResult'), (topic, raw) => this.#onResult(parseTopic(bus.root, 'nodeResult', topic)?.node ?? '', raw), this),
    );
  }

  stop(): void {
    for (const u of this.#unsubs) u();
    this.#unsubs = [];
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      p.reject(new Error('Wactorz is shutting down'));
    }
  }

  onReport(listener: (r: NodeReport) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Known = deployed from here (it has a secret); whether it is online is checked per command. */
  has(node: string): boolean {
    return this.#o.secrets.secretOf(node) !== undefined;
  }

  online(node: string): boolean {
    return this.#heartbeats.online(node);
  }

  /** The deployed nodes for /api/nodes, /nodes and the panel (NodeDirectory): verified liveness only. */
  describe(): NodeInfo[] {
    return this.#heartbeats.describe();
  }

  async spawn(node: string, config: SpawnConfig): Promise<{ id: string; warnings?: string[] }> {
    if (config.type !== 'dynamic') throw new Error(`only dynamic agents can run on a remote node; "${config.name}" is a ${config.type} agent: spawn it without "node"`);
    const state = this.#carry.get(config.name);
    this.#carry.delete(config.name);
    const previous = this.#o.registry.get(config.name)?.node;
    // Moving an agent by re-spawning it elsewhere: the old node must not keep a second copy.
    if (!state && previous !== undefined && previous !== node && this.online(previous)) await this.#request(previous, 'stop', { name: config.name });
    // The owner's device topics outside the root (mqtt_read_topics) go with each spawn: the node
    // has no options of its own, and a changed list reaches it with the next spawn or restore.
    const external = this.#o.bus.externalReads ?? [];
    const result = await this.#request(node, 'spawn', { name: config.name, config: { ...config, replace: false }, ...(state ? { state } : {}), ...(external.length ? { external_reads: [...external] } : {}) });
    return { id: result.id ?? config.name, ...(result.warnings?.length ? { warnings: result.warnings } : {}) };
  }

  async remove(node: string, name: string): Promise<void> {
    await this.#request(node, 'stop', { name });
  }

  async list(node: string): Promise<EdgeAgentInfo[]> {
    return (await this.#request(node, 'list', {})).agents ?? [];
  }

  /**
   * Moves a spawned agent: stops it where it runs (an edge node hands back its persisted keys),
   * starts it on the target through the spawner, which saves the new node in the spawn registry
   * so the next restore targets it. If the target fails, the agent is started again where it was.
   */
  async migrate(name: string, target: string): Promise<string> {
    const spawner = this.#spawner;
    if (!spawner) throw new Error('migration is not wired up (no spawner attached)');
    const record = this.#o.registry.get(name);
    if (!record) throw new Error(`no spawned agent is named "${name}"`);
    const source = record.node ?? LOCAL_NODE;
    if (source === target) throw new Error(`${name} already runs on ${target}`);
    if (target !== LOCAL_NODE) this.#requireReachable(target);
    const config = { ...(record.config as SpawnConfig) };
    delete (config as { node?: string }).node;
    const origin: SpawnOrigin = spawner.meta?.get(name)?.origin ?? { by: 'user' };

    let state: Record<string, Json> | undefined;
    if (source === LOCAL_NODE) {
      const actor = this.#o.system?.get(name);
      if (actor && !isTerminal(actor.status)) await this.#o.system?.stopActor(name, 'stopped');
      // The local agent's persisted keys go with it, as an edge node hands its keys back.
      const store = this.#o.system?.store;
      if (store && target !== LOCAL_NODE) state = Object.fromEntries(store.keys(name).map((k) => [k, store.get(name, k) as Json]));
    } else {
      state = (await this.#request(source, 'migrate', { name, target })).state;
    }
    try {
      if (state && target !== LOCAL_NODE) this.#carry.set(name, state);
      const store = this.#o.system?.store;
      if (state && target === LOCAL_NODE && store) {
        // The node's keys replace whatever an earlier local run left behind.
        store.clear(name);
        for (const [k, v] of Object.entries(state)) store.set(name, k, v);
      }
      await spawner.spawn({ ...config, ...(target !== LOCAL_NODE ? { node: target } : {}), replace: true }, origin);
      return `Moved ${name} from ${source} to ${target}.`;
    } catch (err) {
      this.#carry.delete(name);
      const reason = err instanceof Error ? err.message : String(err);
      try {
        if (source === LOCAL_NODE) await spawner.spawn({ ...config, replace: true }, origin);
        else await this.#request(source, 'spawn', { name, config: { ...config, node: source, replace: false }, ...(state ? { state } : {}) });
      } catch (again) {
        throw new Error(`moving ${name} to ${target} failed (${reason}), and starting it again on ${source} failed too: ${again instanceof Error ? again.message : String(again)}`, { cause: again });
      }
      throw new Error(`moving ${name} to ${target} failed (${reason}); it runs on ${source} again`, { cause: err });
    }
  }

  /**
   * Starts here, from its saved config, an agent of a node that is going away and cannot hand it
   * over (offline, or its migrate failed): what it persisted on the node is not fetched. When it
   * cannot start here either, its record stays, moved here and not running, so nothing points at
   * the node any more. Returns a line for the owner.
   */
  async adoptHere(name: string, why: string): Promise<string> {
    const spawner = this.#spawner;
    const record = this.#o.registry.get(name);
    if (!record) return `${name}: no longer in the spawn registry`;
    const config = { ...(record.config as SpawnConfig) };
    delete (config as { node?: string }).node;
    const origin: SpawnOrigin = spawner?.meta?.get(name)?.origin ?? { by: 'user' };
    try {
      if (!spawner) throw new Error('no spawner attached');
      await spawner.spawn({ ...config, replace: true }, origin);
      return `${name}: started here from its saved config (${why}; what it persisted on ${record.node ?? 'the node'} is lost)`;
    } catch (err) {
      this.#o.registry.save({ name, type: record.type, config });
      return `${name}: stopped (${why}, and it could not start here: ${err instanceof Error ? err.message : String(err)}); its config is kept here, not running (/agents delete ${name} removes it)`;
    }
  }

  #requireReachable(node: string): string {
    const secret = this.#o.secrets.secretOf(node);
    if (secret === undefined) throw new Error(`no node named "${node}" has been deployed from this Wactorz; run /deploy ${node} first`);
    if (!this.online(node)) {
      if (this.#heartbeats.needsRedeploy(node)) throw new Error(`node "${node}" runs an edge runner from before signed heartbeats, so it is not trusted as online; redeploy it with /deploy ${node} ...`);
      const seen = this.#heartbeats.lastSeen(node);
      const when = seen === undefined ? 'no heartbeat since Wactorz started' : `last heartbeat ${Math.round((this.#o.clock.now() - seen) / 1000)} s ago`;
      throw new Error(`node "${node}" is offline (${when}); check that its edge runner is running and reaches the broker`);
    }
    return secret;
  }

  #request(node: string, command: RequestKind, body: Record<string, unknown>): Promise<NodeResult> {
    let secret: string;
    let topic: string;
    try {
      secret = this.#requireReachable(node);
      topic = topicFor(this.#o.bus.root, REQUEST_TOPICS[command], { node });
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const requestId = randomBytes(9).toString('base64url');
    const timeoutMs = this.#o.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    const what = typeof body.name === 'string' ? `${command} of "${body.name}"` : command;
    return new Promise<NodeResult>((resolve, reject) => {
      const timer = this.#o.clock.setTimeout(() => {
        if (!this.#pending.delete(requestId)) return;
        reject(new Error(`node "${node}" did not answer the ${what} within ${Math.round(timeoutMs / 1000)} s; it may be overloaded or its clock far off`));
      }, timeoutMs);
      this.#pending.set(requestId, {
        node,
        resolve: (r) => {
          timer.cancel();
          resolve(r);
        },
        reject: (e) => {
          timer.cancel();
          reject(e);
        },
      });
      const message = signMessage(secret, node, command, { ...body, request_id: requestId }, this.#o.clock.now());
      this.#o.bus.publishRaw(topic, message, { qos: TOPICS[REQUEST_TOPICS[command]].qos });
    });
  }

  #onResult(node: string, raw: Buffer): void {
    const secret = this.#o.secrets.secretOf(node);
    if (secret === undefined) return this.#droppedAnswers.drop({ node, reason: 'no node of that name was deployed from this Wactorz' });
    let message: unknown;
    try {
      message = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.#droppedAnswers.drop({ node, reason: 'not JSON' });
    }
    const verdict = verifyNodeMessage(message, { secret, node, command: 'result', now: this.#o.clock.now(), nonces: this.#nonces });
    if (!verdict.ok) return this.#droppedAnswers.drop({ node, reason: verdict.reason });
    // An answer is not a heartbeat: liveness stays with the heartbeats, which a replayed answer
    // (it matches no pending request anyway) cannot refresh.
    const result = verdict.body;
    const pending = result.request_id !== undefined ? this.#pending.get(result.request_id) : undefined;
    if (pending && pending.node === node) {
      this.#pending.delete(result.request_id as string);
      if (result.ok) pending.resolve(result);
      else pending.reject(new Error(`node "${node}": ${result.error ?? `the ${result.command} failed`}`));
      return;
    }
    if (!result.ok) this.#refusals.drop({ node, command: result.command, error: result.error });
    for (const l of this.#listeners) l({ node, result });
  }
}
