// Core schema (versions 1xx): per-actor key/value state, the spawn registry and the MQTT outbox.
import type { Migration } from './index.ts';

export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 100,
    name: 'meta',
    sql: `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  },
  {
    version: 101,
    name: 'actor_kv',
    // Keyed by actor name, not id: names are stable across restarts and re-spawns, ids are not.
    sql: `CREATE TABLE actor_kv (
      actor TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (actor, key)
    ) WITHOUT ROWID;`,
  },
  {
    version: 102,
    name: 'spawn_registry',
    sql: `CREATE TABLE spawn_registry (
      name TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      config TEXT NOT NULL,
      node TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );`,
  },
  {
    version: 103,
    name: 'mqtt_outbox',
    // AUTOINCREMENT: ids never reused, so ORDER BY id is the original publish order even after
    // the table was emptied.
    sql: `CREATE TABLE mqtt_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      topic TEXT NOT NULL,
      payload BLOB NOT NULL,
      qos INTEGER NOT NULL,
      retain INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    );`,
  },
];
