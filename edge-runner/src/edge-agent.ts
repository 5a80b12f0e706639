// One dynamic agent on the edge: the server's SandboxedAgent with the edge host, process() every
// poll_interval, tasks from agents/by-name/{name}/task, and its heartbeat. Hooks run one at a
// time, as on the server's mailbox, so agent code never sees its own hooks interleave.
import { z } from 'zod';
import type { Clock, TimerHandle } from '../../server/src/core/clock.ts';
import { SandboxedAgent } from '../../server/src/sandbox/agent.ts';
import { resolveLimits } from '../../server/src/sandbox/limits.ts';
import type { AgentSummary, Json, SandboxErrorEvent } from '../../server/src/sandbox/types.ts';
import { canonicalJson } from '../../server/src/agents/nodes/protocol.ts';
import { EdgeAgentHost } from './edge-host.ts';
import type { AgentKv } from './kv-file.ts';
import type { EdgeLink } from './link.ts';

/** The part of a spawn config (agents/spawn/config-schema.ts, type dynamic) the edge runs; the rest is kept as sent. */
export const EdgeAgentConfig = z.looseObject({
  name: z.string(),
  type: z.literal('dynamic'),
  code: z.string(),
  poll_interval: z.number().optional(),
  description: z.string().optional(),
});
export type EdgeAgentConfig = z.infer<typeof EdgeAgentConfig>;

export interface EdgeAgentOptions {
  config: EdgeAgentConfig;
  node: string;
  link: EdgeLink;
  clock: Clock;
  kv: AgentKv;
  /** Device topics outside the root it may read (mqtt_read_topics, as the spawn carried them). */
  externalReads?: readonly string[];
  listAgents(): AgentSummary[];
}

export class EdgeAgent {
  readonly name: string;
  readonly config: EdgeAgentConfig;
  readonly fingerprint: string;
  readonly externalReads: readonly string[];
  readonly #o: EdgeAgentOptions;
  readonly #sandbox: SandboxedAgent;
  readonly #host: EdgeAgentHost;
  readonly #startedAt: number;
  #chain: Promise<unknown> = Promise.resolve();
  #poll: TimerHandle | undefined;
  #state: 'created' | 'running' | 'failed' | 'stopped' = 'created';
  #processed = 0;
  #errors = 0;
  #lastBeat: number | null = null;

  constructor(o: EdgeAgentOptions) {
    this.#o = o;
    this.config = o.config;
    this.name = o.config.name;
    this.externalReads = [...(o.externalReads ?? [])];
    // The allowed device topics are part of what runs: a changed list is not a reuse.
    this.fingerprint = canonicalJson({ config: o.config, external_reads: this.externalReads });
    this.#startedAt = o.clock.now();
    const limits = resolveLimits({});
    const host = new EdgeAgentHost({
      self: { id: this.name, name: this.name },
      node: o.node,
      link: o.link,
      clock: o.clock,
      kv: o.kv,
      externalReads: o.externalReads ?? [],
      askTimeoutMs: limits.handleTaskMs,
      isRunning: () => this.#state === 'running',
      listAgents: () => o.listAgents(),
      onError: (e) => this.#onError(e),
    });
    this.#sandbox = new SandboxedAgent({ id: this.name, name: this.name, code: o.config.code, host, clock: o.clock, limits });
    this.#host = host;
  }

  get status(): string {
    return this.#state;
  }

  /** Resolves with the code check's warnings; rejects with the sandbox's reason. */
  async start(): Promise<string[]> {
    try {
      await this.#sandbox.start();
    } catch (err) {
      this.#state = 'failed';
      this.#o.link.removeOwner(this.#host.owner);
      throw err;
    }
    this.#state = 'running';
    const every = Math.max(1, this.config.poll_interval ?? 60) * 1000;
    if (this.#sandbox.hasHook('process')) {
      this.#poll = this.#o.clock.setInterval(() => {
        void this.#serial(() => this.#sandbox.process()).catch(() => undefined); // reported via host.reportError
      }, every);
    }
    this.heartbeat();
    return this.#sandbox.warnings.map((w) => w.message);
  }

  handleTask(payload: Json, hops: number): Promise<Json> {
    if (this.#state !== 'running') return Promise.reject(new Error(`${this.name} is ${this.#state}`));
    return this.#serial(() => this.#sandbox.handleTask(payload, { hops }));
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#poll?.cancel();
    this.#poll = undefined;
    // Waits for the hook in flight so cleanup() never runs beside it.
    await this.#chain.catch(() => undefined);
    await this.#sandbox.stop().catch(() => undefined);
    this.#o.link.removeOwner(this.#host.owner);
    this.#state = 'stopped';
    this.heartbeat();
  }

  heartbeat(): void {
    const now = this.#o.clock.now();
    const state = this.#state === 'created' ? 'created' : this.#state;
    this.#o.link.publish('agentHeartbeat', { id: this.name }, {
      id: this.name,
      name: this.name,
      state,
      node: this.#o.node,
      ts: now,
      metrics: {
        messages_processed: this.#processed,
        errors: this.#errors,
        dropped: this.#sandbox.stats().droppedMessages,
        mailbox: 0,
        restarts: 0,
        uptime_s: Math.round((now - this.#startedAt) / 1000),
        last_heartbeat: this.#lastBeat,
      },
    });
    this.#lastBeat = now;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(work, work);
    this.#chain = next.then(
      () => (this.#processed += 1),
      () => (this.#processed += 1),
    );
    return next;
  }

  #onError(e: SandboxErrorEvent): void {
    this.#errors += 1;
    // A lost isolate cannot run anything again; the server re-sends a spawn to bring it back.
    if (e.severity === 'fatal') {
      this.#state = 'failed';
      this.#poll?.cancel();
    }
  }
}
