// One process per data directory. Two processes on the same ./data (a running `npm start` and
// `npm run cli -- --local`, say) would both restore the saved agents and run them twice, against
// one SQLite file. The lock is a file holding the owner's pid: taken with O_EXCL, released on
// stop, and taken over when its owner is gone (a crash leaves it behind).
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'wactorz.lock';

interface Owner {
  pid: number;
  what: string;
  since: string;
}

export class DataDirLockedError extends Error {
  readonly owner: Owner;
  constructor(dir: string, owner: Owner) {
    super(
      `${dir} is in use by another Wactorz (${owner.what}, pid ${owner.pid}, since ${owner.since}): two processes on one data directory would run the same agents twice.\n` +
        'Stop that one, talk to it instead (`npm run cli`, without --local), or give this one its own directory (--data-dir <dir>).\n' +
        `If no other Wactorz is running, delete ${join(dir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirLockedError';
    this.owner = owner;
  }
}

export interface DataDirLock {
  release(): void;
}

/** Takes the data directory for this process; throws DataDirLockedError while another holds it. */
export function lockDataDir(dir: string, what: string, now: () => Date = () => new Date()): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const owner: Owner = { pid: process.pid, what, since: now().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      return { release: () => releaseIfOurs(path) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readOwner(path);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new DataDirLockedError(dir, holder);
      // Left behind by a process that is gone (or unreadable): take it over.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}: ${path} keeps reappearing.`);
}

function readOwner(path: string): Owner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    return typeof o.pid === 'number' ? { pid: o.pid, what: String(o.what ?? 'wactorz'), since: String(o.since ?? '?') } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(path: string): void {
  if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
}
