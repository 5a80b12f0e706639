import { describe, expect, it } from 'vitest';
import { Notifier } from '../../../../server/src/agents/monitor/notifier.ts';
import { RestartBudget, recoveryFor } from '../../../../server/src/agents/monitor/recovery.ts';
import { HeartbeatWatchdog } from '../../../../server/src/agents/monitor/watchdog.ts';
import type { MonitorNotice } from '../../../../server/src/agents/monitor/notice.ts';

describe('recovery policy', () => {
  it('logs warnings, restarts critical and degraded, never restarts fatal or setup failures', () => {
    expect(recoveryFor('warning', 'process')).toBe('log');
    expect(recoveryFor('critical', 'handle')).toBe('restart');
    expect(recoveryFor('degraded', 'process')).toBe('restart');
    expect(recoveryFor('fatal', 'process')).toBe('fatal');
    for (const phase of ['compile', 'setup', 'start', 'validate', 'install']) expect(recoveryFor('critical', phase)).toBe('fatal');
  });

  it('allows a few restarts per window, then none until the window moves on', () => {
    const b = new RestartBudget(3, 60_000);
    expect([b.take('a', 0), b.take('a', 1), b.take('a', 2), b.take('a', 3)]).toEqual([1, 2, 3, undefined]);
    expect(b.take('b', 3)).toBe(1);
    expect(b.take('a', 60_001)).toBe(2);
  });
});

describe('notifier', () => {
  it('skips infrastructure, repeats after the cooldown only, and says recovered only after a problem', () => {
    const sent: MonitorNotice[] = [];
    const n = new Notifier({ notify: (x) => sent.push(x) }, 1_000);
    const base = { level: 'critical' as const, message: 'down', topic: 'silent' };
    expect(n.notify({ ...base, agent: 'monitor', at: 0 })).toBe(false);
    expect(n.notify({ ...base, agent: 'x', at: 0, isProtected: true })).toBe(false);
    expect(n.notify({ level: 'recovered', agent: 'cam', message: 'ok', at: 0, topic: 'silent' })).toBe(false);
    expect(n.notify({ ...base, agent: 'cam', at: 0 })).toBe(true);
    expect(n.notify({ ...base, agent: 'cam', at: 999 })).toBe(false);
    expect(n.notify({ ...base, agent: 'cam', at: 1_000 })).toBe(true);
    expect(n.notify({ level: 'recovered', agent: 'cam', message: 'ok', at: 1_001, topic: 'silent' })).toBe(true);
    expect(n.notify({ level: 'recovered', agent: 'cam', message: 'ok', at: 1_002, topic: 'silent' })).toBe(false);
    expect(sent.map((s) => s.level)).toEqual(['critical', 'critical', 'recovered']);
  });
});

describe('watchdog', () => {
  it('reports each silent agent once, and knows when it was silent', () => {
    const w = new HeartbeatWatchdog(10_000);
    w.beat({ id: 'a1', name: 'a', state: 'running', at: 0 });
    expect(w.newlySilent(10_000)).toEqual([]);
    expect(w.newlySilent(10_001).map((a) => a.name)).toEqual(['a']);
    expect(w.newlySilent(20_000)).toEqual([]);
    expect(w.beat({ id: 'a1', name: 'a', state: 'running', at: 20_000 }).wasSilent).toBe(true);
    w.forget('a');
    expect(w.list()).toEqual([]);
  });
});
