import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../server/src/store/database.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

describe('database', () => {
  it('opens in WAL mode with full sync and applies migrations once', () => {
    const dir = makeTempDir();
    const migrations = [
      { version: 2, name: 'second', sql: 'ALTER TABLE t ADD COLUMN b TEXT;' },
      { version: 1, name: 'first', sql: 'CREATE TABLE t (a TEXT);' },
    ];
    const db = openDatabase({ dataDir: dir.path, migrations });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.prepare('INSERT INTO t (a, b) VALUES (?, ?)').run('x', 'y');
    db.close();
    const again = openDatabase({ dataDir: dir.path, migrations });
    expect(again.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2]);
    expect(again.prepare('SELECT a, b FROM t').get()).toEqual({ a: 'x', b: 'y' });
    again.close();
    dir.cleanup();
  });

  it('rolls back a failing migration completely', () => {
    const db = openDatabase({ dataDir: ':memory:', migrations: [] });
    expect(() => migrate(db, [{ version: 1, name: 'bad', sql: 'CREATE TABLE ok (a); CREATE TABLE broken (' }])).toThrow();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'ok'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(0);
  });

  it('refuses two migrations with the same version', () => {
    const db = openDatabase({ dataDir: ':memory:', migrations: [] });
    expect(() => migrate(db, [{ version: 7, name: 'a', sql: '' }, { version: 7, name: 'b', sql: '' }])).toThrow(/share version 7/);
  });

  it('applies the product migrations to a fresh database', () => {
    const db = openDatabase({ dataDir: ':memory:' });
    expect((db.prepare('SELECT count(*) FROM schema_migrations').pluck().get() as number) > 0).toBe(true);
  });
});
