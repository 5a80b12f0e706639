// NodesService for the API: this process as the `local` node with its agents, then the deployed
// edge runners (Raspberry Pi satellites) as agents/nodes sees them. Their liveness comes only from
// heartbeats signed with each node's secret (agents/nodes/heartbeats.ts): a raw heartbeat on the
// broker, which any MQTT device in the home could publish, never adds or refreshes a node here.
import type { Clock } from '../core/clock.ts';
import type { ActorSystem } from '../core/system.ts';
import type { NodeInfo } from '../contract/nodes.ts';
import type { NodesService } from '../contract/services.ts';
import { VERSION } from '../version.ts';

/** The verified remote nodes (EdgeNodes). */
export interface RemoteNodeList {
  describe(): NodeInfo[];
}

export class NodeDirectory implements NodesService {
  readonly #system: ActorSystem;
  readonly #clock: Clock;
  #remote: RemoteNodeList | undefined;

  constructor(system: ActorSystem, clock: Clock) {
    this.#system = system;
    this.#clock = clock;
  }

  start(remote: RemoteNodeList): void {
    this.#remote = remote;
  }

  stop(): void {
    this.#remote = undefined;
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
    const remote = this.#remote?.describe() ?? [];
    return [local, ...remote.sort((a, b) => a.name.localeCompare(b.name))];
  }
}
