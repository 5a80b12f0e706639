// The deployed nodes and their signing secrets (SQLite, migrations/edge.ts). Only the signer reads
// a secret back; everything that describes a node for people (the API, /nodes, logs) gets a
// NodeRecord, which has no secret field at all.
import type { Db } from '../../store/database.ts';
import { newNodeSecret } from './protocol.ts';

/** What supervises a node's runner, as deploy left it (supervision.ts); 'none': nothing brings it back. */
export type NodeSupervision = 'systemd' | 'systemd-user' | 'cron' | 'none';
const SUPERVISIONS: readonly string[] = ['systemd', 'systemd-user', 'cron', 'none'] satisfies NodeSupervision[];

export interface NodeRecord {
  name: string;
  host: string | null;
  sshUser: string | null;
  sshPort: number | null;
  installDir: string | null;
  /** Recorded at the last deploy; null for a node deployed before it was recorded. */
  supervision: NodeSupervision | null;
  /** When /nodes remove stopped its runner and removed its supervisor; null while deployed. */
  undeployedAt: number | null;
  createdAt: number;
}

interface Row {
  name: string;
  secret: string;
  host: string | null;
  ssh_user: string | null;
  ssh_port: number | null;
  install_dir: string | null;
  supervision: string | null;
  undeployed_at: number | null;
  created_at: number;
}

export class NodeSecretStore {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * The node's secret, created on first use (deploy); an existing node keeps its own. `where`
   * updates what is known of the node; a `supervision` (what the deploy put the runner under)
   * also clears an earlier undeploy.
   */
  ensure(name: string, where: { host?: string; sshUser?: string; sshPort?: number; installDir?: string; supervision?: NodeSupervision } = {}): string {
    const existing = this.#row(name);
    const now = this.#now();
    const supervision = where.supervision ?? null;
    if (existing) {
      this.#db
        .prepare(
          `UPDATE edge_nodes SET host = COALESCE(?, host), ssh_user = COALESCE(?, ssh_user), ssh_port = COALESCE(?, ssh_port), install_dir = COALESCE(?, install_dir),
           supervision = COALESCE(?, supervision), undeployed_at = CASE WHEN ? IS NULL THEN undeployed_at ELSE NULL END, updated_at = ? WHERE name = ?`,
        )
        .run(where.host ?? null, where.sshUser ?? null, where.sshPort ?? null, where.installDir ?? null, supervision, supervision, now, name);
      return existing.secret;
    }
    const secret = newNodeSecret();
    this.#db
      .prepare('INSERT INTO edge_nodes (name, secret, host, ssh_user, ssh_port, install_dir, supervision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(name, secret, where.host ?? null, where.sshUser ?? null, where.sshPort ?? null, where.installDir ?? null, supervision, now, now);
    return secret;
  }

  /** The runner was stopped and its supervisor removed; the secret stays until remove(). */
  recordUndeploy(name: string): void {
    const now = this.#now();
    this.#db.prepare('UPDATE edge_nodes SET supervision = NULL, undeployed_at = ?, updated_at = ? WHERE name = ?').run(now, now, name);
  }

  /** For signing only. */
  secretOf(name: string): string | undefined {
    return this.#row(name)?.secret;
  }

  get(name: string): NodeRecord | undefined {
    const r = this.#row(name);
    return r ? toRecord(r) : undefined;
  }

  list(): NodeRecord[] {
    return this.#db.prepare<[], Row>('SELECT * FROM edge_nodes ORDER BY name').all().map(toRecord);
  }

  remove(name: string): boolean {
    return this.#db.prepare('DELETE FROM edge_nodes WHERE name = ?').run(name).changes > 0;
  }

  #row(name: string): Row | undefined {
    return this.#db.prepare<[string], Row>('SELECT * FROM edge_nodes WHERE name = ?').get(name);
  }
}

function toRecord(r: Row): NodeRecord {
  const supervision = r.supervision !== null && SUPERVISIONS.includes(r.supervision) ? (r.supervision as NodeSupervision) : null;
  return { name: r.name, host: r.host, sshUser: r.ssh_user, sshPort: r.ssh_port, installDir: r.install_dir, supervision, undeployedAt: r.undeployed_at, createdAt: r.created_at };
}
