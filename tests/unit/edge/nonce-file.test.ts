import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PersistedNonces } from '../../../edge-runner/src/nonce-file.ts';
import { NonceCache } from '../../../server/src/agents/nodes/nonce-window.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const NOW = 1_750_000_000_000;
const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

function file(): string {
  const d = makeTempDir('wactorz-nonces-');
  dirs.push(d);
  return join(d.path, 'nonces.json');
}

describe('persisted nonces (edge runner)', () => {
  it('a nonce claimed before a restart is still refused after it', () => {
    const f = file();
    const lines: string[] = [];
    const first = PersistedNonces.open(f, NOW, (l) => lines.push(l));
    expect(first.claim('stop-1', NOW + 1_000, NOW + 1_000)).toBe('ok');
    const second = PersistedNonces.open(f, NOW + 10_000, (l) => lines.push(l));
    expect(second.claim('stop-1', NOW + 1_000, NOW + 10_000)).toBe('replayed');
    expect(second.claim('stop-2', NOW + 9_000, NOW + 10_000)).toBe('ok');
    // Only the first start found no file.
    expect(lines).toEqual(['no readable nonce file: commands signed before this start are refused as replays']);
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('with no readable file (first run, wiped or corrupt), refuses what was signed before this start', () => {
    const f = file();
    writeFileSync(f, '{half a fi');
    const n = PersistedNonces.open(f, NOW, () => undefined);
    expect(n.claim('captured-earlier', NOW - 5_000, NOW)).toBe('too-old');
    expect(n.claim('new', NOW + 1, NOW + 1)).toBe('ok');
    expect(n.claim('at-start', NOW, NOW + 1)).toBe('ok');
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({ floor: NOW - 1, seen: { new: NOW + 1, 'at-start': NOW } });
  });

  it('a start with the clock far ahead (before NTP fixes it) does not reopen nonces once the clock is back', () => {
    const f = file();
    PersistedNonces.open(f, NOW, () => undefined).claim('stop-1', NOW + 1_000, NOW + 1_000);
    // Booted an hour ahead: stop-1 is pruned, but its signing time becomes the floor.
    PersistedNonces.open(f, NOW + 3_600_000, () => undefined);
    const back = PersistedNonces.open(f, NOW + 20_000, () => undefined);
    expect(back.claim('stop-1', NOW + 1_000, NOW + 20_000)).toBe('too-old');
    expect(back.claim('stop-2', NOW + 19_000, NOW + 20_000)).toBe('ok');
  });

  it('throws when the nonce cannot be written (the runner then refuses the command), and still refuses it in memory', () => {
    const n = new PersistedNonces('/nonexistent-dir/nonces.json', new NonceCache());
    expect(() => n.claim('a', NOW, NOW)).toThrow(/ENOENT/);
    expect(n.claim('a', NOW, NOW)).toBe('replayed');
  });
});
