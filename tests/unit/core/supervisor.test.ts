import { afterEach, describe, expect, it } from 'vitest';
import type { Failure } from '../../../server/src/core/messages.ts';
import type { RestartType, Strategy, SupervisorOptions } from '../../../server/src/core/supervisor.ts';
import type { ActorSystem } from '../../../server/src/core/system.ts';
import type { SystemEvent } from '../../../server/src/core/kernel.ts';
import { EchoActor, makeSystem, settle } from './fixtures.ts';

let system: ActorSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

/** Supervises children a, b, c under a root with the given strategy; records every incarnation. */
async function tree(strategy: Strategy, opts: Partial<SupervisorOptions> = {}, restart: RestartType = 'permanent') {
  const escalations: Failure[] = [];
  const s = makeSystem({ root: { strategy, ...opts }, onEscalation: (f) => escalations.push(f) });
  system = s.system;
  const made: Record<string, EchoActor[]> = { a: [], b: [], c: [] };
  for (const name of ['a', 'b', 'c']) {
    await s.system.supervisor.supervise({
      name,
      restart,
      factory: () => {
        const actor = new EchoActor({ name });
        made[name]?.push(actor);
        return actor;
      },
    });
  }
  await s.system.start();
  const crash = async (name: string) => {
    await s.system.ask(name, { crash: true }).catch(() => undefined);
    await settle();
  };
  const incarnations = () => Object.fromEntries(Object.entries(made).map(([k, v]) => [k, v.length]));
  const current = (name: string) => s.system.get(name) as EchoActor;
  return { ...s, made, crash, incarnations, current, escalations };
}

describe('Supervisor strategies', () => {
  it('one_for_one restarts only the failed child, with a fresh instance and the same id', async () => {
    const t = await tree('one_for_one');
    const before = t.current('b');
    await t.crash('b');
    expect(t.incarnations()).toEqual({ a: 1, b: 2, c: 1 });
    expect(t.current('b')).not.toBe(before);
    expect(t.current('b').id).toBe(before.id);
    expect(t.current('b').state).toBe('running');
    expect(t.system.supervisor.children().map((c) => [c.name, c.restarts])).toEqual([['a', 0], ['b', 1], ['c', 0]]);
    expect(await t.system.ask('b', { echo: 'back' })).toEqual({ echo: 'back' });
  });

  it('one_for_all restarts every child, stopping the others in reverse order first', async () => {
    const t = await tree('one_for_all');
    const states: string[] = [];
    t.system.onEvent((e) => e.type === 'state' && e.state === 'stopped' && states.push(e.name));
    await t.crash('b');
    expect(t.incarnations()).toEqual({ a: 2, b: 2, c: 2 });
    expect(states).toEqual(['c', 'a']);
    expect(t.system.supervisor.children().map((c) => c.restarts)).toEqual([1, 1, 1]);
  });

  it('rest_for_one restarts the failed child and those started after it', async () => {
    const t = await tree('rest_for_one');
    await t.crash('b');
    expect(t.incarnations()).toEqual({ a: 1, b: 2, c: 2 });
    await t.crash('a');
    expect(t.incarnations()).toEqual({ a: 2, b: 3, c: 3 });
  });
});

describe('Restart types', () => {
  it('permanent children come back after a normal exit; transient and temporary do not', async () => {
    for (const [restart, expected] of [['permanent', 2], ['transient', 1], ['temporary', 1]] as const) {
      const t = await tree('one_for_one', {}, restart);
      await t.system.ask('a', { exit: true }).catch(() => undefined);
      await settle();
      expect([restart, t.made.a?.length]).toEqual([restart, expected]);
      await t.system.stop();
    }
  });

  it('transient children are restarted after a failure; temporary ones are dropped', async () => {
    const transient = await tree('one_for_one', {}, 'transient');
    await transient.crash('a');
    expect(transient.incarnations().a).toBe(2);
    await transient.system.stop();
    const temporary = await tree('one_for_one', {}, 'temporary');
    await temporary.crash('a');
    expect(temporary.incarnations().a).toBe(1);
    expect(temporary.system.supervisor.children().map((c) => c.name)).toEqual(['b', 'c']);
  });
});

describe('Restart budget and escalation', () => {
  it('gives up after maxRestarts within the period: stops the children and the root reports it', async () => {
    const t = await tree('one_for_one', { maxRestarts: 2, periodMs: 10_000 });
    const events: SystemEvent[] = [];
    t.system.onEvent((e) => events.push(e));
    await t.crash('a');
    await t.crash('a');
    expect(t.escalations).toEqual([]);
    await t.crash('a');
    expect(t.incarnations().a).toBe(3);
    expect(t.escalations).toHaveLength(1);
    expect(t.escalations[0]?.error.message).toMatch(/root gave up after 2 restarts within 10000 ms; last failure: a: boom/);
    expect(events.some((e) => e.type === 'escalated')).toBe(true);
    expect(['a', 'b', 'c'].map((n) => t.current(n).state)).toEqual(['failed', 'stopped', 'stopped']);
  });

  it('forgets restarts older than the period', async () => {
    const t = await tree('one_for_one', { maxRestarts: 2, periodMs: 10_000 });
    for (let i = 0; i < 5; i++) {
      await t.crash('a');
      await t.clock.advance(6_000);
    }
    expect(t.escalations).toEqual([]);
    expect(t.incarnations().a).toBe(6);
  });

  it('a nested supervisor that gives up is restarted by its parent with fresh children', async () => {
    const s = makeSystem();
    system = s.system;
    const made: EchoActor[] = [];
    const inner = s.system.supervisor.addSupervisor({ name: 'inner', maxRestarts: 1, periodMs: 10_000 });
    await inner.supervise({ name: 'worker', factory: () => (made.push(new EchoActor({ name: 'worker' })), made.at(-1) as EchoActor) });
    await s.system.start();
    for (let i = 0; i < 2; i++) {
      await s.system.ask('worker', { crash: true }).catch(() => undefined);
      await settle();
    }
    await settle();
    expect(made).toHaveLength(3);
    expect(s.system.get('worker')?.state).toBe('running');
    expect(s.system.supervisor.children()).toEqual([expect.objectContaining({ name: 'inner', kind: 'supervisor', restarts: 1, state: 'running' })]);
  });

  it('waits the restart delay, growing by the backoff factor', async () => {
    const t = await tree('one_for_one', { restartDelayMs: 1_000, backoffFactor: 2, maxRestarts: 5 });
    await t.crash('a');
    await t.clock.advance(999);
    expect(t.incarnations().a).toBe(1);
    await t.clock.advance(1);
    await settle();
    expect(t.incarnations().a).toBe(2);
    await t.crash('a');
    await t.clock.advance(1_999);
    expect(t.incarnations().a).toBe(2);
    await t.clock.advance(1);
    await settle();
    expect(t.incarnations().a).toBe(3);
  });
});

describe('Paused and stopped children', () => {
  it('are never restarted, even when a sibling failure restarts all the others', async () => {
    const t = await tree('one_for_all');
    const pausedB = t.current('b');
    t.system.pauseActor('b');
    await t.system.stopActor('c');
    await t.crash('a');
    expect(t.incarnations()).toEqual({ a: 2, b: 1, c: 1 });
    expect(t.current('b')).toBe(pausedB);
    expect(pausedB.state).toBe('paused');
    expect(t.current('c').state).toBe('stopped');
  });

  it('a child stopped by the user stays stopped until the restart command', async () => {
    const t = await tree('one_for_one');
    await t.system.stopActor('a');
    await settle();
    expect(t.incarnations().a).toBe(1);
    expect(await t.system.supervisor.restartChild('a')).toBe(true);
    expect(t.current('a').state).toBe('running');
    expect(t.incarnations().a).toBe(2);
  });
});

describe('Heartbeat silence', () => {
  it('fails an actor stuck in a handler after 60 s without a heartbeat, alerts, and its supervisor restarts it', async () => {
    const t = await tree('one_for_one');
    const stuck = t.current('a');
    void t.system.ask('a', { wait: new Promise(() => undefined) }, { timeoutMs: 600_000 }).catch(() => undefined);
    await settle();
    await t.clock.advance(50_000);
    expect(stuck.state).toBe('running');
    await t.clock.advance(10_000);
    await settle();
    expect(stuck.status).toMatchObject({ state: 'failed', failure: { reason: 'heartbeat_silence' } });
    expect(t.incarnations().a).toBe(2);
    expect(t.bus.sentTo(`wactorz/agents/${stuck.id}/alert`)).toEqual([expect.objectContaining({ type: 'heartbeat_timeout' })]);
    expect(t.current('b').state).toBe('running');
  });
});
