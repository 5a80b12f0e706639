// What HA's switches and buttons may do: broker data's share and nothing more.
import { describe, expect, it } from 'vitest';
import { decideAgent, decideRule } from '../../../../server/src/interfaces/ha-discovery/trust.ts';

describe('rule switch', () => {
  const plain = { id: 'r1', enabled: false, sensitive: [] };
  const lock = { id: 'r2', enabled: true, sensitive: ['lock.front_door'] };

  it('enables and disables a rule that acts on nothing sensitive', () => {
    expect(decideRule('ON', plain)).toEqual({ ok: true, action: { kind: 'rule', id: 'r1', enabled: true } });
    expect(decideRule('OFF', plain)).toEqual({ ok: true, action: { kind: 'rule', id: 'r1', enabled: false } });
  });

  it('disables but never enables a rule on a lock, alarm or garage door', () => {
    expect(decideRule('OFF', lock)).toEqual({ ok: true, action: { kind: 'rule', id: 'r2', enabled: false } });
    const on = decideRule('ON', lock);
    expect(on.ok).toBe(false);
    expect(!on.ok && on.reason).toContain('lock.front_door');
  });

  it('refuses unknown rules and payloads', () => {
    expect(decideRule('ON', undefined).ok).toBe(false);
    expect(decideRule('DELETE', plain).ok).toBe(false);
    expect(decideRule('on', plain).ok).toBe(false);
  });
});

describe('agent controls', () => {
  const a = { name: 'porch-watcher', protected: false };
  it('pause, resume and restart a non-protected agent', () => {
    expect(decideAgent('agent-pause', 'ON', a)).toEqual({ ok: true, action: { kind: 'agent', name: 'porch-watcher', command: 'pause' } });
    expect(decideAgent('agent-pause', 'OFF', a)).toEqual({ ok: true, action: { kind: 'agent', name: 'porch-watcher', command: 'resume' } });
    expect(decideAgent('agent-restart', 'PRESS', a)).toEqual({ ok: true, action: { kind: 'agent', name: 'porch-watcher', command: 'restart' } });
  });

  it('nothing on a protected actor, an unknown one, or with another payload', () => {
    const main = { name: 'main', protected: true };
    for (const [k, p] of [['agent-pause', 'ON'], ['agent-pause', 'OFF'], ['agent-restart', 'PRESS']] as const) expect(decideAgent(k, p, main).ok).toBe(false);
    expect(decideAgent('agent-restart', 'PRESS', undefined).ok).toBe(false);
    expect(decideAgent('agent-restart', 'DELETE', a).ok).toBe(false);
    expect(decideAgent('agent-pause', 'PRESS', a).ok).toBe(false);
  });
});
