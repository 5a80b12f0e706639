import { describe, expect, it } from 'vitest';
import { canonicalJson, MAX_COMMAND_AGE_MS, NonceCache, signMessage, verifyMessage } from '../../../server/src/agents/nodes/protocol.ts';

const SECRET = 'kitchen-secret-0123456789abcdef';
const NOW = 1_750_000_000_000;
const body = { name: 'temp-sensor', request_id: 'r1', config: { type: 'dynamic', code: 'async function setup() {}', name: 'temp-sensor' } };

function check(message: unknown, o: { secret?: string; node?: string; command?: 'spawn' | 'stop'; now?: number; nonces?: NonceCache } = {}) {
  return verifyMessage(message, { secret: o.secret ?? SECRET, node: o.node ?? 'rpi-kitchen', command: o.command ?? 'spawn', now: o.now ?? NOW, nonces: o.nonces ?? new NonceCache() });
}

describe('signed node commands', () => {
  it('accepts a valid command and hands back the body without the signature fields', () => {
    const msg = signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW);
    const v = check(JSON.parse(JSON.stringify(msg)));
    expect(v).toEqual({ ok: true, body });
  });

  it('canonical JSON does not depend on key order, so a re-serialised command still verifies', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    const msg = signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW);
    const reordered = Object.fromEntries(Object.entries(msg).reverse());
    expect(check(reordered).ok).toBe(true);
  });

  it('refuses a tampered body (the code changed after signing)', () => {
    const msg = signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW);
    const tampered = { ...msg, config: { ...body.config, code: 'async function setup(agent) { await agent.publish("custom/pwned", 1); }' } };
    expect(check(tampered)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuses a command signed with another secret', () => {
    const msg = signMessage('another-nodes-secret-0123456789', 'rpi-kitchen', 'spawn', body, NOW);
    expect(check(msg)).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuses a command replayed to another node or as another command', () => {
    const msg = signMessage(SECRET, 'rpi-kitchen', 'stop', body, NOW);
    expect(check(msg, { command: 'spawn' }).ok).toBe(false);
    expect(check(msg, { command: 'stop', node: 'rpi-bedroom' }).ok).toBe(false);
    expect(check(msg, { command: 'stop' }).ok).toBe(true);
  });

  it('refuses a replay of the same command (same nonce) within the window', () => {
    const nonces = new NonceCache();
    const msg = signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW);
    expect(check(msg, { nonces }).ok).toBe(true);
    expect(check(msg, { nonces, now: NOW + 5_000 })).toEqual({ ok: false, reason: 'replayed (nonce already used)' });
  });

  it('refuses a command signed at or before the floor of the nonce window (its nonce may be forgotten)', () => {
    const nonces = new NonceCache(undefined, { floor: NOW, seen: {} });
    expect(check(signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW), { nonces })).toEqual({ ok: false, reason: 'replayed (signed before the oldest nonce still remembered)' });
    expect(check(signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW + 1), { nonces }).ok).toBe(true);
  });

  it('refuses stale commands and ones from too far in the future', () => {
    const old = signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW - MAX_COMMAND_AGE_MS - 1);
    const v = check(old);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/^stale/);
    expect(check(signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW + MAX_COMMAND_AGE_MS + 1)).ok).toBe(false);
  });

  it('refuses unsigned messages and garbage signatures without throwing', () => {
    expect(check({ ...body })).toEqual({ ok: false, reason: 'unsigned (no sig, ts or nonce)' });
    expect(check({ ...body, ts: NOW, nonce: 'n', sig: 'zz' })).toEqual({ ok: false, reason: 'bad signature' });
    expect(check('spawn everything')).toEqual({ ok: false, reason: 'not a JSON object' });
  });

  it('a forged message does not use up the nonce of the real one', () => {
    const nonces = new NonceCache();
    const real = signMessage(SECRET, 'rpi-kitchen', 'spawn', body, NOW);
    expect(check({ ...real, sig: '00'.repeat(32) }, { nonces }).ok).toBe(false);
    expect(check(real, { nonces }).ok).toBe(true);
  });
});
