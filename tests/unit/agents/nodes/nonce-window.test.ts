import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_AGE_MS, NonceCache } from '../../../../server/src/agents/nodes/nonce-window.ts';

const NOW = 1_750_000_000_000;
const KEEP = 2 * MAX_COMMAND_AGE_MS;

describe('nonce window', () => {
  it('refuses a nonce used before, whatever the arrival time', () => {
    const w = new NonceCache();
    expect(w.claim('a', NOW, NOW)).toBe('ok');
    expect(w.claim('a', NOW, NOW + 5_000)).toBe('replayed');
    expect(w.claim('b', NOW, NOW + 5_000)).toBe('ok');
  });

  it('forgets a nonce only once its signing time is out of the window, and then refuses that time for good', () => {
    const w = new NonceCache();
    w.claim('old', NOW, NOW);
    w.claim('new', NOW + KEEP, NOW + KEEP + 1);
    expect(w.size).toBe(1);
    expect(w.snapshot().floor).toBe(NOW);
    // The clock going back (NTP on a Pi) does not reopen the forgotten nonce: it is under the floor.
    expect(w.claim('old', NOW, NOW)).toBe('too-old');
    expect(w.claim('other-but-as-old', NOW - 1, NOW)).toBe('too-old');
    expect(w.claim('fresh', NOW + KEEP + 2, NOW + KEEP + 2)).toBe('ok');
  });

  it('keeps entries by signing time, so one signed ahead (a fast clock) is kept as long as it could pass', () => {
    const w = new NonceCache();
    w.claim('ahead', NOW + MAX_COMMAND_AGE_MS, NOW);
    w.prune(NOW + KEEP);
    expect(w.claim('ahead', NOW + MAX_COMMAND_AGE_MS, NOW + KEEP)).toBe('replayed');
  });

  it('round-trips through a snapshot (what the edge writes to disk)', () => {
    const w = new NonceCache();
    w.claim('a', NOW, NOW);
    const copy = new NonceCache(undefined, JSON.parse(JSON.stringify(w.snapshot())) as ReturnType<NonceCache['snapshot']>);
    expect(copy.claim('a', NOW, NOW + 1_000)).toBe('replayed');
    expect(copy.check('b', NOW)).toBe('ok');
    const floored = new NonceCache(undefined, { floor: NOW, seen: {} });
    expect(floored.claim('c', NOW, NOW)).toBe('too-old');
    expect(floored.claim('d', NOW + 1, NOW)).toBe('ok');
  });
});
