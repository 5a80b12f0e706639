// Per-actor key/value state behind a small interface (actors call persist/recall; they never see
// SQL). Values are JSON. The SQLite store writes synchronously with synchronous=FULL, so a value
// is on disk when `set` returns: an acknowledged write survives kill -9.
import type { Db } from './database.ts';

export interface KeyValueStore {
  get(actor: string, key: string): unknown;
  set(actor: string, key: string, value: unknown): void;
  delete(actor: string, key: string): boolean;
  keys(actor: string): string[];
  /** Removes every key of an actor (its deletion). Returns how many were removed. */
  clear(actor: string): number;
}

function encode(actor: string, key: string, value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify(undefined) and functions give undefined: refuse loudly instead of storing "".
  if (json === undefined) throw new TypeError(`persist(${JSON.stringify(key)}) for ${actor}: the value is not JSON-serialisable`);
  return json;
}

export class SqliteKeyValueStore implements KeyValueStore {
  #db: Db;
  #get;
  #set;
  #del;
  #keys;
  #clear;
  #now: () => number;

  constructor(db: Db, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
    this.#get = db.prepare<[string, string], { value: string }>('SELECT value FROM actor_kv WHERE actor = ? AND key = ?');
    this.#set = db.prepare(
      'INSERT INTO actor_kv (actor, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (actor, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    this.#del = db.prepare('DELETE FROM actor_kv WHERE actor = ? AND key = ?');
    this.#keys = db.prepare<[string], string>('SELECT key FROM actor_kv WHERE actor = ? ORDER BY key').pluck();
    this.#clear = db.prepare('DELETE FROM actor_kv WHERE actor = ?');
  }

  get(actor: string, key: string): unknown {
    const row = this.#get.get(actor, key);
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  set(actor: string, key: string, value: unknown): void {
    this.#set.run(actor, key, encode(actor, key, value), this.#now());
  }

  delete(actor: string, key: string): boolean {
    return this.#del.run(actor, key).changes > 0;
  }

  keys(actor: string): string[] {
    return this.#keys.all(actor);
  }

  clear(actor: string): number {
    return this.#clear.run(actor).changes;
  }

  /** For callers that batch many writes into one fsync. */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }
}

/** Same contract, in memory (tests, and a system run without a data dir). Values are copied. */
export class MemoryKeyValueStore implements KeyValueStore {
  #data = new Map<string, Map<string, string>>();

  get(actor: string, key: string): unknown {
    const v = this.#data.get(actor)?.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as unknown);
  }

  set(actor: string, key: string, value: unknown): void {
    let m = this.#data.get(actor);
    if (!m) this.#data.set(actor, (m = new Map<string, string>()));
    m.set(key, encode(actor, key, value));
  }

  delete(actor: string, key: string): boolean {
    return this.#data.get(actor)?.delete(key) ?? false;
  }

  keys(actor: string): string[] {
    return [...(this.#data.get(actor)?.keys() ?? [])].sort();
  }

  clear(actor: string): number {
    const n = this.#data.get(actor)?.size ?? 0;
    this.#data.delete(actor);
    return n;
  }
}
