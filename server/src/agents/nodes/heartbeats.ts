// Which edge nodes are alive, from nodes/{name}/heartbeat. Every MQTT device in a home has the
// broker's credentials, so a heartbeat is believed only when it comes from a node deployed from
// here (it has a secret), is signed with that secret as a 'heartbeat' (protocol.ts), is fresh
// (same 60 s age limit as commands) and was not seen before (nonce). Anything else is dropped with
// a rate-limited log line and never creates nor refreshes a node: not here, not in /api/nodes,
// /nodes or the panel (they all list through describe()). A deployed node that sends unsigned
// heartbeats runs an edge runner from before this check: it stays offline, and commands to it say
// that it needs a redeploy.
import type { Clock } from '../../core/clock.ts';
import type { NodeInfo } from '../../contract/nodes.ts';
import { DropLog, type WarnSink } from './drop-log.ts';
import { verifyNodeMessage } from './messages.ts';
import { NonceCache } from './protocol.ts';

/** Three missed 10 s heartbeats. */
export const OFFLINE_AFTER_MS = 30_000;

export interface DeployedNodes {
  secretOf(name: string): string | undefined;
  list(): { name: string; host: string | null; supervision?: NodeInfo['supervision']; undeployedAt?: number | null }[];
}

interface Beat {
  /** The server's clock when the verified heartbeat arrived (the node's clock may drift). */
  at: number;
  host: string | null;
  version: string | null;
  agents: string[];
}

export interface NodeHeartbeatsOptions {
  secrets: DeployedNodes;
  clock: Clock;
  logger?: WarnSink | undefined;
}

export class NodeHeartbeats {
  readonly #o: NodeHeartbeatsOptions;
  readonly #beats = new Map<string, Beat>();
  /** Deployed nodes heard sending unsigned heartbeats (an old runner), and when last. */
  readonly #unsigned = new Map<string, number>();
  readonly #nonces = new NonceCache();
  readonly #dropped: DropLog;

  constructor(o: NodeHeartbeatsOptions) {
    this.#o = o;
    this.#dropped = new DropLog(o.logger, o.clock, 'dropped a node heartbeat that is not signed by a deployed node');
  }

  /** One message from nodes/{node}/heartbeat; true when it was believed. */
  receive(node: string, raw: Buffer): boolean {
    const now = this.#o.clock.now();
    const secret = this.#o.secrets.secretOf(node);
    if (secret === undefined) return this.#drop(node, 'no node of that name was deployed from this Wactorz');
    let message: unknown;
    try {
      message = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.#drop(node, 'not JSON');
    }
    if (message !== null && typeof message === 'object' && !('sig' in message)) {
      this.#unsigned.set(node, now);
      return this.#drop(node, 'unsigned: an edge runner from before signed heartbeats (redeploy it), or not the node at all');
    }
    const verdict = verifyNodeMessage(message, { secret, node, command: 'heartbeat', now, nonces: this.#nonces });
    if (!verdict.ok) return this.#drop(node, verdict.reason);
    const b = verdict.body;
    this.#unsigned.delete(node);
    this.#beats.set(node, { at: now, host: b.host ?? null, version: b.version ?? null, agents: b.agents });
    return true;
  }

  online(node: string): boolean {
    const beat = this.#beats.get(node);
    return beat !== undefined && this.#o.clock.now() - beat.at < OFFLINE_AFTER_MS;
  }

  lastSeen(node: string): number | undefined {
    return this.#beats.get(node)?.at;
  }

  /** Whether the node was last heard with an unsigned heartbeat: its runner predates signing. */
  needsRedeploy(node: string): boolean {
    const unsigned = this.#unsigned.get(node);
    return unsigned !== undefined && unsigned >= (this.#beats.get(node)?.at ?? Number.NEGATIVE_INFINITY);
  }

  /** Every deployed node, online only from its verified heartbeats; a silent one is listed offline. */
  describe(): NodeInfo[] {
    const now = this.#o.clock.now();
    return this.#o.secrets.list().map((n) => {
      const beat = this.#beats.get(n.name);
      return {
        name: n.name,
        online: beat !== undefined && now - beat.at < OFFLINE_AFTER_MS,
        last_seen: beat ? new Date(beat.at).toISOString() : null,
        host: beat?.host ?? n.host,
        version: beat?.version ?? null,
        agents: beat?.agents ?? [],
        supervision: n.supervision ?? null,
        undeployed_at: typeof n.undeployedAt === 'number' ? new Date(n.undeployedAt).toISOString() : null,
      };
    });
  }

  #drop(node: string, reason: string): false {
    this.#dropped.drop({ node, reason });
    return false;
  }
}
