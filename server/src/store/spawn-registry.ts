// The spawn registry: every agent spawned at runtime (by the LLM, the catalog, the user), with its
// full spawn config, so it is restored at start and removed for good on delete. The config is
// stored as JSON as given; its schema belongs to the dynamic-agents area, not to the store.
import type { Db } from './database.ts';

export interface SpawnRecord {
  name: string;
  type: string;
  /** The full spawn config (name, type, code, poll_interval, ...), JSON-serialisable. */
  config: unknown;
  /** The node the agent runs on; undefined for this process. */
  node: string | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface SpawnRegistry {
  /** Inserts or replaces by name; keeps the original createdAt on replace. Durable on return. */
  save(entry: { name: string; type: string; config: unknown; node?: string }): SpawnRecord;
  get(name: string): SpawnRecord | undefined;
  /** In creation order (the order to restore them in). */
  list(): SpawnRecord[];
  remove(name: string): boolean;
}

interface Row {
  name: string;
  type: string;
  config: string;
  node: string | null;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): SpawnRecord => ({ name: r.name, type: r.type, config: JSON.parse(r.config) as unknown, node: r.node ?? undefined, createdAt: r.created_at, updatedAt: r.updated_at });

export class SqliteSpawnRegistry implements SpawnRegistry {
  #upsert;
  #get;
  #list;
  #remove;
  #now: () => number;

  constructor(db: Db, now: () => number = Date.now) {
    this.#now = now;
    this.#upsert = db.prepare(
      `INSERT INTO spawn_registry (name, type, config, node, created_at, updated_at) VALUES (@name, @type, @config, @node, @now, @now)
       ON CONFLICT (name) DO UPDATE SET type = excluded.type, config = excluded.config, node = excluded.node, updated_at = excluded.updated_at`,
    );
    this.#get = db.prepare<[string], Row>('SELECT * FROM spawn_registry WHERE name = ?');
    this.#list = db.prepare<[], Row>('SELECT * FROM spawn_registry ORDER BY created_at, rowid');
    this.#remove = db.prepare('DELETE FROM spawn_registry WHERE name = ?');
  }

  save(entry: { name: string; type: string; config: unknown; node?: string }): SpawnRecord {
    const config = JSON.stringify(entry.config);
    if (config === undefined) throw new TypeError(`spawn config of ${entry.name} is not JSON-serialisable`);
    this.#upsert.run({ name: entry.name, type: entry.type, config, node: entry.node ?? null, now: this.#now() });
    return this.get(entry.name) as SpawnRecord;
  }

  get(name: string): SpawnRecord | undefined {
    const r = this.#get.get(name);
    return r ? fromRow(r) : undefined;
  }

  list(): SpawnRecord[] {
    return this.#list.all().map(fromRow);
  }

  remove(name: string): boolean {
    return this.#remove.run(name).changes > 0;
  }
}

export class MemorySpawnRegistry implements SpawnRegistry {
  #rows = new Map<string, SpawnRecord>();
  #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  save(entry: { name: string; type: string; config: unknown; node?: string }): SpawnRecord {
    const now = this.#now();
    const config = JSON.parse(JSON.stringify(entry.config) ?? 'null') as unknown;
    const prev = this.#rows.get(entry.name);
    const rec: SpawnRecord = { name: entry.name, type: entry.type, config, node: entry.node, createdAt: prev?.createdAt ?? now, updatedAt: now };
    this.#rows.set(entry.name, rec);
    return rec;
  }

  get(name: string): SpawnRecord | undefined {
    return this.#rows.get(name);
  }

  list(): SpawnRecord[] {
    return [...this.#rows.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  remove(name: string): boolean {
    return this.#rows.delete(name);
  }
}
