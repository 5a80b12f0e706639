// Replay protection that survives a restart of the runner: the nonce window (the server's
// NonceCache, keyed by signing time with a floor) is kept in <data-dir>/nonces.json and written
// atomically (temp file, fsync, rename) *before* a command is obeyed, so a command captured off the
// broker and replayed after a crash or reboot finds its nonce still on disk.
//
// Why not "refuse anything signed before this start" alone: a Raspberry Pi has no RTC. It boots
// with the time it shut down at (fake-hwclock) and jumps when NTP syncs, so a start time taken at
// boot can be far in the past (a command captured just before the reboot would pass) or in the
// future (every command refused until the clock catches up). The on-disk window only compares
// signing times the server produced with each other, plus the floor, so no jump reopens a nonce.
// The start-time rule is the fallback when the file is missing or unreadable (first run, a wiped
// data dir): then nothing signed before this start can be proven unused, so it is refused.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { NonceCache, type NonceClaimer, type NonceSnapshot, type NonceVerdict } from '../../server/src/agents/nodes/nonce-window.ts';

export class PersistedNonces implements NonceClaimer {
  readonly #file: string;
  readonly #cache: NonceCache;

  constructor(file: string, cache: NonceCache) {
    this.#file = file;
    this.#cache = cache;
  }

  /** Loads the window from `file` (and writes it back pruned); `now` is this start, the floor when nothing can be loaded. */
  static open(file: string, now: number, log: (line: string) => void): PersistedNonces {
    const loaded = readSnapshot(file);
    if (loaded === undefined) log('no readable nonce file: commands signed before this start are refused as replays');
    // The floor refuses ts <= floor: one millisecond under the start keeps what is signed at it.
    const cache = new NonceCache(undefined, loaded ?? { floor: now - 1, seen: {} });
    cache.prune(now);
    const nonces = new PersistedNonces(file, cache);
    nonces.#write();
    return nonces;
  }

  /** Throws when the nonce cannot be written down: the caller must then not obey the command. */
  claim(nonce: string, ts: number, now: number): NonceVerdict {
    const verdict = this.#cache.claim(nonce, ts, now);
    // Claimed in memory first: even if the write fails, this process never accepts it again.
    if (verdict === 'ok') this.#write();
    return verdict;
  }

  #write(): void {
    const tmp = `${this.#file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(this.#cache.snapshot()));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#file);
  }
}

function readSnapshot(file: string): NonceSnapshot | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<NonceSnapshot> | null;
    if (v === null || typeof v !== 'object' || typeof v.floor !== 'number' || v.seen === null || typeof v.seen !== 'object') return undefined;
    return { floor: v.floor, seen: v.seen };
  } catch {
    return undefined;
  }
}
