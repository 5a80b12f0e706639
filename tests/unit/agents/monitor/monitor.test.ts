import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../../../../server/src/bus/memory-bus.ts';
import type { Severity } from '../../../../server/src/bus/payloads.ts';
import { Actor } from '../../../../server/src/core/actor.ts';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import type { Message } from '../../../../server/src/core/messages.ts';
import { ActorSystem } from '../../../../server/src/core/system.ts';
import { MonitorAgent, type MonitorStatus } from '../../../../server/src/agents/monitor/monitor-agent.ts';
import { formatNotice, type MonitorNotice } from '../../../../server/src/agents/monitor/notice.ts';
import { systemTarget } from '../../../../server/src/agents/monitor/target.ts';

/** A worker that throws on {crash: true}. */
class Worker extends Actor {
  protected handle(msg: Message): unknown {
    if (msg.type === 'task' && (msg.payload as { crash?: boolean }).crash) throw new Error('worker crashed');
    return msg.type === 'task' ? 'ok' : undefined;
  }
}

interface World {
  system: ActorSystem;
  clock: ManualClock;
  bus: MemoryBus;
  notices: MonitorNotice[];
  /** Lets bus deliveries and mailboxes run. */
  settle(): Promise<void>;
  error(name: string, severity: Severity, message: string, phase?: string): Promise<void>;
  heartbeat(p: { id: string; name: string; node?: string; state?: string }): Promise<void>;
  status(): Promise<MonitorStatus>;
}

let world: World | undefined;
afterEach(async () => {
  await world?.system.stop();
  world = undefined;
});

async function start(options: ConstructorParameters<typeof MonitorAgent>[0]['options'] = {}): Promise<World> {
  const clock = new ManualClock();
  const bus = new MemoryBus('wactorz');
  const system = new ActorSystem({ clock, bus, heartbeatSilenceMs: 10 * 60_000 });
  await system.start();
  const notices: MonitorNotice[] = [];
  await system.supervisor.supervise({ name: 'monitor', factory: () => new MonitorAgent({ sink: { notify: (n) => notices.push(n) }, target: systemTarget(system), options }) });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  world = {
    system,
    clock,
    bus,
    notices,
    settle,
    async error(name, severity, message, phase = 'process') {
      const id = system.get(name)?.id ?? name;
      bus.publish('agentErrors', { id }, { phase, severity, message, ts: clock.now() });
      await settle();
    },
    async heartbeat({ id, name, node, state = 'running' }) {
      bus.publish('agentHeartbeat', { id }, { id, name, state: state as 'running', ts: clock.now(), ...(node ? { node } : {}), metrics: { messages_processed: 0, errors: 0, dropped: 0, mailbox: 0, restarts: 0, uptime_s: 0, last_heartbeat: null } });
      await settle();
    },
    status: () => system.ask<MonitorStatus>('monitor', { monitor: 'status' }),
  };
  return world;
}

/** Advances the clock in steps, letting the bus and mailboxes run between them. */
async function pass(w: World, ms: number, step = 5_000): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await w.clock.advance(Math.min(step, ms - t));
    await w.settle();
  }
}

const lines = (w: World) => w.notices.map(formatNotice);

describe('heartbeat watchdog', () => {
  it('alerts when a remote agent goes silent past the threshold, and says when it is back', async () => {
    const w = await start({ heartbeatTimeoutMs: 60_000 });
    await w.heartbeat({ id: 'cam-1', name: 'kitchen-cam', node: 'rpi-kitchen' });
    await pass(w, 60_000);
    expect(w.notices).toEqual([]);
    await pass(w, 15_000);
    expect(lines(w)).toEqual(['🔴 kitchen-cam: unresponsive: no heartbeat for 70 s on rpi-kitchen.']);
    expect(w.bus.sentTo('wactorz/agents/cam-1/alert')).toEqual([expect.objectContaining({ type: 'heartbeat_timeout', severity: 'critical' })]);
    await pass(w, 60_000);
    expect(w.notices).toHaveLength(1);
    await w.heartbeat({ id: 'cam-1', name: 'kitchen-cam', node: 'rpi-kitchen' });
    expect(lines(w)[1]).toBe('✅ kitchen-cam: responding again (heartbeat received).');
  });

  it('does not alert about agents the user stopped', async () => {
    const w = await start();
    await w.system.supervisor.supervise({ name: 'worker', factory: () => new Worker({ name: 'worker' }) });
    await pass(w, 20_000);
    expect((await w.status()).agents.map((a) => a.name)).toContain('worker');
    await w.system.stopActor('worker', 'stopped');
    await w.settle();
    await pass(w, 120_000);
    expect(w.notices).toEqual([]);
  });
});

describe('recovery by severity', () => {
  it('restarts a critical agent through its supervisor and reports it recovered on its next heartbeat', async () => {
    const w = await start({ recoveryGraceMs: 5_000 });
    const first = await w.system.supervisor.supervise({ name: 'energy', factory: () => new Worker({ name: 'energy' }) });
    await w.error('energy', 'critical', 'process() threw: sensor offline');
    expect(w.notices).toEqual([]);
    await pass(w, 5_000);
    const second = w.system.get('energy');
    expect(second).not.toBe(first);
    expect(second?.state).toBe('running');
    expect(lines(w)).toEqual(['🟡 energy: process() threw: sensor offline; restarting it (1/3).']);
    await pass(w, 10_000);
    expect(lines(w)[1]).toBe('✅ energy: running normally again.');
  });

  it('gives up after three restarts and says the agent needs attention', async () => {
    const w = await start({ recoveryGraceMs: 1_000, maxRestarts: 3 });
    await w.system.supervisor.supervise({ name: 'flaky', factory: () => new Worker({ name: 'flaky' }) });
    for (let i = 1; i <= 4; i++) {
      await w.error('flaky', 'degraded', `failure ${i}`);
      await pass(w, 1_000, 1_000);
    }
    expect(w.system.get('flaky')?.metrics().restarts).toBe(3);
    expect(lines(w).filter((l) => l.startsWith('🟡'))).toHaveLength(3);
    expect(lines(w).at(-1)).toBe('🔴 flaky: keeps failing (failure 4); gave up after 3 restarts. It needs attention: /agents restart flaky to try again.');
  });

  it('never restarts a fatal or setup failure, and tells the user to fix it', async () => {
    const w = await start({ recoveryGraceMs: 1_000 });
    await w.system.supervisor.supervise({ name: 'broken', factory: () => new Worker({ name: 'broken' }) });
    await w.system.supervisor.supervise({ name: 'bad-setup', factory: () => new Worker({ name: 'bad-setup' }) });
    await w.error('broken', 'fatal', 'SyntaxError: Unexpected token', 'compile');
    await w.error('bad-setup', 'critical', 'setup() threw: no such entity', 'setup');
    await pass(w, 10_000);
    expect(w.system.get('broken')?.metrics().restarts).toBe(0);
    expect(w.system.get('bad-setup')?.metrics().restarts).toBe(0);
    expect(lines(w)).toEqual([
      '🔴 broken: failed to compile (SyntaxError: Unexpected token). Its code or configuration needs fixing, so it will not be restarted.',
      '🔴 bad-setup: failed to start (setup() threw: no such entity). Its code or configuration needs fixing, so it will not be restarted.',
    ]);
  });

  it('only logs warnings, keeping them in the error registry', async () => {
    const w = await start({ recoveryGraceMs: 1_000 });
    await w.system.supervisor.supervise({ name: 'chatty', factory: () => new Worker({ name: 'chatty' }) });
    await w.error('chatty', 'warning', 'slow response');
    await pass(w, 10_000);
    expect(w.notices).toEqual([]);
    expect(w.system.get('chatty')?.metrics().restarts).toBe(0);
    expect((await w.status()).errors).toEqual([expect.objectContaining({ name: 'chatty', counts: { warning: 1, degraded: 0, critical: 0, fatal: 0 } })]);
    expect(w.bus.sentTo('wactorz/agents/+/logs')).toContainEqual(expect.objectContaining({ type: 'agent_warning', message: 'chatty: slow response' }));
  });

  it('leaves a crash to the supervisor that already restarted it, and says so', async () => {
    const w = await start({ recoveryGraceMs: 2_000 });
    await w.system.supervisor.supervise({ name: 'crashy', factory: () => new Worker({ name: 'crashy' }) });
    w.system.tell('crashy', { type: 'task', payload: { crash: true } });
    await w.settle();
    await pass(w, 2_000, 1_000);
    expect(w.system.get('crashy')?.metrics().restarts).toBe(1);
    expect(lines(w)).toEqual(['🟡 crashy: crashed (worker crashed); its supervisor restarted it.']);
  });
});

describe('notices', () => {
  it('leave out infrastructure agents, while still recovering them', async () => {
    const w = await start({ recoveryGraceMs: 1_000 });
    await w.system.supervisor.supervise({ name: 'planner', factory: () => new Worker({ name: 'planner' }) });
    await w.error('planner', 'critical', 'planner stuck');
    await pass(w, 1_000, 1_000);
    expect(w.system.get('planner')?.metrics().restarts).toBe(1);
    await w.heartbeat({ id: 'main-x', name: 'main' });
    await pass(w, 120_000, 10_000);
    expect(w.notices).toEqual([]);
  });

  it('do not repeat the same problem within the cooldown', async () => {
    const w = await start({ cooldownMs: 300_000, heartbeatTimeoutMs: 30_000 });
    await w.heartbeat({ id: 'cam-1', name: 'kitchen-cam', node: 'rpi' });
    await w.error('kitchen-cam', 'fatal', 'bad code', 'compile');
    await w.error('kitchen-cam', 'fatal', 'bad code', 'compile');
    expect(w.notices).toHaveLength(1);
    await pass(w, 301_000, 10_000);
    await w.error('kitchen-cam', 'fatal', 'bad code', 'compile');
    // The silence alert and the repeat after the cooldown.
    expect(lines(w).filter((l) => l.includes('bad code'))).toHaveLength(2);
    expect(lines(w).filter((l) => l.includes('unresponsive'))).toHaveLength(1);
  });

  it('stop when the monitor stops: no timers or listeners left', async () => {
    const w = await start();
    await w.system.stop();
    expect(w.clock.pending()).toBe(0);
  });
});
