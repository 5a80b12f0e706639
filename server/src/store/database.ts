// The one SQLite database of the process (better-sqlite3, WAL). Opening it applies every pending
// migration in version order inside a transaction, so a half-applied schema never exists.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Directory holding wactorz.db; ':memory:' for an in-memory database (tests only). */
  dataDir: string;
  migrations?: readonly Migration[];
}

export function databasePath(dataDir: string): string {
  return join(dataDir, 'wactorz.db');
}

export function openDatabase({ dataDir, migrations = MIGRATIONS }: OpenOptions): Db {
  const path = dataDir === ':memory:' ? ':memory:' : databasePath(dataDir);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL + synchronous=FULL: a write acknowledged to the caller is on disk and survives kill -9
  // (NORMAL would only survive a process crash, not a power cut).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const seen = new Set<number>();
  for (const m of sorted) {
    if (seen.has(m.version)) throw new Error(`Two migrations share version ${m.version}`);
    seen.add(m.version);
  }
  const done: number[] = [];
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
    done.push(m.version);
  }
  return done;
}
