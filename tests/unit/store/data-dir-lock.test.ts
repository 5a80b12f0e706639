// One process per data directory (issue 17, item 10): a CLI --local beside a running server on
// the same ./data would restore and run every saved agent twice.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalSession } from '../../../server/src/interfaces/cli/local-session.ts';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../../server/src/store/data-dir-lock.ts';

const MAIN = new URL('../../../server/src/main.ts', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wactorz-lock-'));
  dirs.push(d);
  return d;
}

/** A lock as another live process would leave it: our parent (the test runner) is alive. */
function heldByAnother(dir: string): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, what: 'npm start', since: '2026-01-01T00:00:00.000Z' }));
}

describe('the data directory lock', () => {
  it('is taken, refused while held, and free again once released', () => {
    const dir = dataDir();
    const lock = lockDataDir(dir, 'npm start');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, what: 'npm start' });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    heldByAnother(dir);
    expect(() => lockDataDir(dir, 'npm run cli -- --local')).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir, 'x')).toThrow(/in use by another Wactorz \(npm start, pid \d+[\s\S]*--data-dir/);
  });

  it('takes over a lock whose owner is gone', () => {
    const dir = dataDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: Number(gone.stdout), what: 'npm start', since: 'then' }));
    lockDataDir(dir, 'npm start').release();
  });

  it('makes `npm run cli -- --local` refuse a directory a running server holds', async () => {
    const dir = dataDir();
    heldByAnother(dir);
    await expect(startLocalSession(['--data-dir', dir])).rejects.toThrow(/in use by another Wactorz \(npm start/);
  });

  it('makes a second `npm start` on the same directory exit with the reason', () => {
    const dir = dataDir();
    heldByAnother(dir);
    const { SUPERVISOR_TOKEN: _addon, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--no-node-snapshot', MAIN, '--data-dir', dir], { encoding: 'utf8', env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is in use by another Wactorz (npm start');
  });
});
