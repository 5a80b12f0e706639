// The replay half of the signed node protocol: which nonces were already used. Entries are keyed by
// the timestamp the message was *signed* with, not by when it arrived, and a floor remembers the
// newest timestamp ever forgotten: anything signed at or before the floor is refused outright. So
// forgetting a nonce can never re-open it, whatever the local clock does later (a Pi without RTC
// jumps when NTP syncs; an entry pruned during a forward jump would otherwise be accepted again
// after the jump back). The window is plain data (snapshot/restore) so the edge runner can keep it
// on disk across restarts (edge-runner/src/nonce-file.ts). Pure: the edge imports it.

/**
 * Messages signed longer ago (or further ahead) than this are refused: Pi clocks drift a little.
 * It lives here because a nonce must be remembered exactly as long as its message could pass it.
 */
export const MAX_COMMAND_AGE_MS = 60_000;

export type NonceVerdict = 'ok' | 'replayed' | 'too-old';

export interface NonceClaimer {
  /** Records `nonce` (signed at `ts`) unless it was used already or is older than what is remembered. */
  claim(nonce: string, ts: number, now: number): NonceVerdict;
}

export interface NonceSnapshot {
  /** Messages signed at or before this are refused (their nonces may have been forgotten). */
  floor: number;
  /** nonce -> the timestamp it was signed with. */
  seen: Record<string, number>;
}

export class NonceCache implements NonceClaimer {
  #seen = new Map<string, number>();
  #floor: number;
  readonly #keepMs: number;

  /** keepMs must cover the acceptance window on both sides (a message may be signed up to maxAge ahead). */
  constructor(keepMs: number = 2 * MAX_COMMAND_AGE_MS, snapshot?: NonceSnapshot) {
    this.#keepMs = keepMs;
    this.#floor = typeof snapshot?.floor === 'number' ? snapshot.floor : 0;
    for (const [n, ts] of Object.entries(snapshot?.seen ?? {})) if (typeof ts === 'number' && ts > this.#floor) this.#seen.set(n, ts);
  }

  /** What claim() would answer, without recording anything (the edge persists before it commits). */
  check(nonce: string, ts: number): NonceVerdict {
    if (ts <= this.#floor) return 'too-old';
    return this.#seen.has(nonce) ? 'replayed' : 'ok';
  }

  claim(nonce: string, ts: number, now: number): NonceVerdict {
    const verdict = this.check(nonce, ts);
    if (verdict !== 'ok') return verdict;
    this.#seen.set(nonce, ts);
    this.prune(now);
    return 'ok';
  }

  /** Forgets nonces signed too long ago to pass the age check now, raising the floor over them. */
  prune(now: number): void {
    for (const [n, ts] of this.#seen) {
      if (now - ts <= this.#keepMs) continue;
      this.#seen.delete(n);
      if (ts > this.#floor) this.#floor = ts;
    }
  }

  snapshot(): NonceSnapshot {
    return { floor: this.#floor, seen: Object.fromEntries(this.#seen) };
  }

  get size(): number {
    return this.#seen.size;
  }
}
