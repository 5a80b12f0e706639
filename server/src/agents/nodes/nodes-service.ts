// The `nodes` object runtime.ts hands to the orchestrator: EdgeNodes (the spawner's RemoteNodes), the deployer, and
// the NodesSource main's slash commands use (/nodes from the NodeDirectory, /migrate, /deploy).
import type { Bus } from '../../bus/bus.ts';
import type { Clock } from '../../core/clock.ts';
import type { ActorSystem, LogSink } from '../../core/system.ts';
import type { NodeInfo } from '../../contract/nodes.ts';
import type { Db } from '../../store/database.ts';
import type { SpawnRegistry } from '../../store/spawn-registry.ts';
import { EdgeDeployer, HostKeyNotConfirmed } from './deploy.ts';
import { EdgeNodes } from './edge-nodes.ts';
import { NodeRemoval, type RemoveRequest } from './node-removal.ts';
import { NodeSecretStore } from './secrets.ts';

export interface NodesAreaDeps {
  db: Db;
  bus: Bus;
  clock: Clock;
  registry: SpawnRegistry;
  system: ActorSystem;
  dataDir: string;
  /** The API's node list (NodeDirectory). */
  directory: { list(): Promise<NodeInfo[]> };
  logger?: LogSink;
}

export interface DeployRequest {
  node: string;
  host: string;
  user: string;
  broker: string;
  confirm?: string;
}

export function createNodesArea(deps: NodesAreaDeps) {
  const secrets = new NodeSecretStore(deps.db, () => deps.clock.now());
  const remote = new EdgeNodes({ bus: deps.bus, secrets, clock: deps.clock, registry: deps.registry, system: deps.system, ...(deps.logger ? { logger: deps.logger } : {}) });
  const deployer = new EdgeDeployer({ dataDir: deps.dataDir, secrets });
  const removal = new NodeRemoval({ secrets, remote, deployer, registry: deps.registry, clock: deps.clock });

  async function deploy(r: DeployRequest): Promise<string> {
    const [host, port] = splitHost(r.host);
    const publicKey = await deployer.publicKey();
    if (r.confirm) await deployer.confirmHostKey(host, port, r.confirm);
    try {
      const done = await deployer.deploy({ node: r.node, host, port, user: r.user, broker: r.broker });
      return `Deployed ${r.node} to ${r.user}@${host}:${done.installDir} (${done.files} files) and started it; it appears in /nodes within ~15 s.\nThe runner is ${done.supervisionText}.`;
    } catch (err) {
      if (err instanceof HostKeyNotConfirmed) {
        return [
          `First deploy to ${host}: two things to check before anything is sent.`,
          `1. Add Wactorz's key to ~/.ssh/authorized_keys of ${r.user} on the node:`,
          `   ${publicKey}`,
          `2. The node's host key fingerprint is ${err.fingerprint}. Compare it on the node (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then run:`,
          `   /deploy ${r.node} ${r.host} ${r.user} ${r.broker} confirm ${err.fingerprint}`,
        ].join('\n');
      }
      return `Deploying ${r.node} failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  return {
    remote,
    secrets,
    deployer,
    removal,
    /** The orchestrator's NodesSource (/nodes, /nodes remove, /deploy, /migrate). */
    source: {
      list: () => deps.directory.list(),
      migrate: (agent: string, node: string) => remote.migrate(agent, node),
      deploy,
      askRemove: (conversation: string, r: RemoveRequest) => removal.ask(conversation, r),
    },
    start: () => remote.start(),
    stop: () => remote.stop(),
  };
}

export type NodesArea = ReturnType<typeof createNodesArea>;

function splitHost(h: string): [string, number] {
  const m = /^(.+):(\d+)$/.exec(h);
  return m ? [m[1], Number(m[2])] : [h, 22];
}
