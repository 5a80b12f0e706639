// NodesService for the API: this process as the `local` node with its agents. Edge runners
// (Raspberry Pi satellites) announce themselves on nodes/{name}/heartbeat; until the edge runner
// ships, the local node is the only one.
import type { Bus, Unsubscribe } from '../bus/bus.ts';
import type { Clock } from '../core/clock.ts';
import type { ActorSystem } from '../core/system.ts';
import type { NodeInfo } from '../http/models/nodes.ts';
import type { NodesService } from '../http/services.ts';
import { VERSION } from '../version.ts';

/** A node is offline when no heartbeat arrived for this long (three missed 10 s beats). */
const OFFLINE_AFTER_MS = 30_000;

interface RemoteNode {
  lastSeen: number;
  host: string | null;
  version: string | null;
  agents: string[];
}

export class NodeDirectory implements NodesService {
  readonly #system: ActorSystem;
  readonly #clock: Clock;
  readonly #remote = new Map<string, RemoteNode>();
  #unsubscribe: Unsubscribe | undefined;

  constructor(system: ActorSystem, clock: Clock) {
    this.#system = system;
    this.#clock = clock;
  }

  start(bus: Bus): void {
    this.#unsubscribe = bus.subscribeRaw(`${bus.root}/nodes/+/heartbeat`, (topic, payload) => {
      const name = topic.split('/').at(-2);
      if (!name) return;
      let body: { host?: unknown; version?: unknown; agents?: unknown };
      try {
        body = JSON.parse(payload.toString('utf8')) as typeof body;
      } catch {
        return;
      }
      this.#remote.set(name, {
        lastSeen: this.#clock.now(),
        host: typeof body.host === 'string' ? body.host : null,
        version: typeof body.version === 'string' ? body.version : null,
        agents: Array.isArray(body.agents) ? body.agents.filter((a): a is string => typeof a === 'string') : [],
      });
    }, this);
  }

  stop(): void {
    this.#unsubscribe?.();
  }

  async list(): Promise<NodeInfo[]> {
    const now = this.#clock.now();
    const local: NodeInfo = {
      name: 'local',
      online: true,
      last_seen: new Date(now).toISOString(),
      host: null,
      version: VERSION,
      agents: this.#system.list().map((a) => a.name),
    };
    const remote = [...this.#remote].map(([name, n]) => ({
      name,
      online: now - n.lastSeen < OFFLINE_AFTER_MS,
      last_seen: new Date(n.lastSeen).toISOString(),
      host: n.host,
      version: n.version,
      agents: n.agents,
    }));
    return [local, ...remote.sort((a, b) => a.name.localeCompare(b.name))];
  }
}
