import { afterEach, describe, expect, it } from 'vitest';
import { Actor } from '../../../server/src/core/actor.ts';
import { executeCommand } from '../../../server/src/core/commands.ts';
import { task, type Message } from '../../../server/src/core/messages.ts';
import type { ActorSystem } from '../../../server/src/core/system.ts';
import { EchoActor, makeSystem, settle } from './fixtures.ts';

let system: ActorSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

async function started(opts: Parameters<typeof makeSystem>[0] = {}) {
  const s = makeSystem(opts);
  system = s.system;
  await s.system.start();
  return s;
}

describe('ActorSystem registry', () => {
  it('finds actors by id and by name and refuses a second running actor with the same name', async () => {
    const { system } = await started();
    const a = await system.spawn(new EchoActor({ name: 'echo' }));
    expect(system.get('echo')).toBe(a);
    expect(system.get(a.id)).toBe(a);
    await expect(system.spawn(new EchoActor({ name: 'echo' }))).rejects.toThrow(/already running/);
  });

  it('lets a new actor take the name of a stopped one', async () => {
    const { system } = await started();
    await system.spawn(new EchoActor({ name: 'echo' }));
    await system.stopActor('echo');
    const b = await system.spawn(new EchoActor({ name: 'echo' }));
    expect(system.get('echo')).toBe(b);
  });

  it('rejects names that would break topics', () => {
    expect(() => new EchoActor({ name: 'a/b' })).toThrow(/Invalid actor name/);
    expect(() => new EchoActor({ name: 'a+#' })).toThrow(/Invalid actor name/);
  });

  it('broadcasts to every live actor that matches the filter', async () => {
    const { system } = await started();
    const actors = await Promise.all(['x', 'y', 'z'].map((n) => system.spawn(new EchoActor({ name: n, kind: n === 'z' ? 'other' : 'dynamic' }))));
    expect(system.broadcast(task({ echo: 'hi' }), (a) => a.kind === 'dynamic')).toBe(2);
    await settle();
    expect(actors.map((a) => a.seen)).toEqual([['hi'], ['hi'], []]);
  });

  it('stops actors in reverse start order and awaits each cleanup', async () => {
    const { system } = await started();
    const log: string[] = [];
    class Slow extends Actor {
      protected handle(_m: Message): unknown {
        return undefined;
      }
      protected override async onStop(): Promise<void> {
        log.push(`begin ${this.name}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${this.name}`);
      }
    }
    await system.supervisor.supervise({ name: 'sup-1', factory: () => new Slow({ name: 'sup-1' }) });
    await system.spawn(new Slow({ name: 'one' }));
    await system.spawn(new Slow({ name: 'two' }));
    await system.stop();
    expect(log).toEqual(['begin sup-1', 'end sup-1', 'begin two', 'end two', 'begin one', 'end one']);
  });

  it('rejects pending asks when the system stops', async () => {
    const { system } = await started();
    await system.spawn(new EchoActor({ name: 'echo' }));
    const pending = system.ask('echo', { wait: new Promise(() => undefined) });
    await settle();
    await system.stop();
    await expect(pending).rejects.toThrow(/stopped before answering/);
  });
});

describe('Heartbeats and health', () => {
  it('publishes each running actor heartbeat every 10 s with its name, state and metrics', async () => {
    const { system, clock, bus } = await started();
    const a = await system.spawn(new EchoActor({ name: 'echo' }));
    await system.ask('echo', { echo: 1 });
    await clock.advance(10_000);
    await settle();
    const beats = bus.sentTo(`wactorz/agents/${a.id}/heartbeat`);
    expect(beats).toHaveLength(1);
    expect(beats[0]).toMatchObject({ id: a.id, name: 'echo', state: 'running', ts: clock.now(), metrics: { messages_processed: 1, errors: 0, uptime_s: 10, last_heartbeat: clock.now() } });
    expect(bus.sent.find((m) => m.topic.endsWith('/heartbeat'))?.qos).toBe(0);
    await clock.advance(20_000);
    await settle();
    expect(bus.sentTo(`wactorz/agents/${a.id}/heartbeat`)).toHaveLength(3);
  });

  it('still reports paused actors as paused, without failing them for silence', async () => {
    const { system, clock, bus } = await started();
    const a = await system.spawn(new EchoActor({ name: 'echo' }));
    system.pauseActor('echo');
    await clock.advance(120_000);
    expect(a.state).toBe('paused');
    expect(bus.sentTo(`wactorz/agents/${a.id}/heartbeat`).at(-1)).toMatchObject({ state: 'paused' });
  });

  it('publishes system/health every 15 s with counts per state', async () => {
    const { system, clock, bus } = await started();
    await system.spawn(new EchoActor({ name: 'a' }));
    await system.spawn(new EchoActor({ name: 'b' }));
    await system.spawn(new EchoActor({ name: 'c' }));
    system.pauseActor('b');
    await system.ask('c', { crash: true }).catch(() => undefined);
    await clock.advance(15_000);
    await settle();
    expect(bus.sentTo('wactorz/system/health')).toEqual([{ ts: clock.now(), total: 3, created: 0, running: 1, paused: 1, stopped: 0, failed: 1 }]);
  });
});

describe('Commands', () => {
  async function withActors() {
    const s = await started();
    const worker = await s.system.spawn(new EchoActor({ name: 'worker' }));
    const main = await s.system.spawn(new EchoActor({ name: 'main', protected: true }));
    /** A command over MQTT, as any client on the broker can send it; resolves with the reply. */
    const send = async (id: string, command: string, request_id = 'r1') => {
      s.bus.inject(`wactorz/agents/${id}/commands`, JSON.stringify({ command, request_id }));
      await settle();
      return s.bus.sentTo(`wactorz/agents/${id}/commands/reply`).at(-1);
    };
    /** A command from the owner's channels (the API, /agents): the same executeCommand. */
    const run = (id: string, command: string, request_id = 'r1') => executeCommand(s.system, id, { command, request_id });
    return { ...s, worker, main, send, run };
  }

  it('pause, resume and stop from the owner, each answered', async () => {
    const { worker, run } = await withActors();
    expect(await run(worker.id, 'pause')).toEqual({ status: 'ok', request_id: 'r1', data: { state: 'paused' } });
    expect(worker.state).toBe('paused');
    expect(await run(worker.id, 'pause', 'r2')).toMatchObject({ status: 'error', request_id: 'r2', error: { code: 'invalid_state' } });
    expect(await run(worker.id, 'resume')).toMatchObject({ status: 'ok', data: { state: 'running' } });
    expect(await run(worker.id, 'stop')).toMatchObject({ status: 'ok', data: { state: 'stopped' } });
    expect(worker.state).toBe('stopped');
  });

  it('refuses every lifecycle command over MQTT with a reply naming where to do it, and the actor keeps running', async () => {
    const { worker, send } = await withActors();
    for (const cmd of ['stop', 'pause', 'delete', 'restart', 'resume']) {
      const reply = await send(worker.id, cmd);
      expect(reply).toMatchObject({ status: 'error', request_id: 'r1', error: { code: 'forbidden' } });
      expect((reply as { error: { message: string } }).error.message).toMatch(new RegExp(`${cmd} is not accepted over MQTT.*panel, the API or /agents ${cmd} worker`));
    }
    expect(worker.state).toBe('running');
  });

  it('delete stops the actor, forgets its state and frees its name', async () => {
    const { system, worker, run } = await withActors();
    system.store.set('worker', 'k', 1);
    expect(await run(worker.id, 'delete')).toMatchObject({ status: 'ok', data: { deleted: true } });
    expect(system.get('worker')).toBeUndefined();
    expect(system.store.keys('worker')).toEqual([]);
  });

  it('protected actors refuse stop, pause and delete with a clear reply and keep running', async () => {
    const { main, run } = await withActors();
    for (const cmd of ['stop', 'pause', 'delete']) {
      const reply = await run(main.id, cmd);
      expect(reply).toMatchObject({ status: 'error', error: { code: 'protected' } });
      expect((reply as { error: { message: string } }).error.message).toMatch(/main is a protected system actor and cannot be/);
    }
    expect(main.state).toBe('running');
  });

  it('delivers other commands to the actor mailbox (over MQTT too) and reports unknown or unsupervised targets', async () => {
    const { system, worker, send, run } = await withActors();
    expect(await send(worker.id, 'reload')).toMatchObject({ status: 'ok', data: { delivered: true } });
    expect(worker.seen).toEqual([expect.objectContaining({ type: 'command', command: 'reload' })]);
    expect(await run(worker.id, 'restart')).toMatchObject({ status: 'error', error: { code: 'not_supervised' } });
    expect(await executeCommand(system, 'ghost', { command: 'stop' })).toMatchObject({ status: 'error', error: { code: 'not_found' } });
  });

  it('counts and reports a malformed command instead of crashing', async () => {
    const { bus, worker } = await withActors();
    const reports: string[] = [];
    bus.onMalformed((r) => reports.push(r.error));
    bus.inject(`wactorz/agents/${worker.id}/commands`, '{not json');
    bus.inject(`wactorz/agents/${worker.id}/commands`, JSON.stringify({ cmd: 'stop' }));
    await settle();
    expect(bus.stats().malformed).toBe(2);
    expect(reports[0]).toMatch(/not JSON/);
    expect(reports[1]).toMatch(/command/);
    expect(worker.state).toBe('running');
  });

  it('runs tasks addressed by name and answers on the reply topic', async () => {
    const { bus } = await withActors();
    bus.inject('wactorz/agents/by-name/worker/task', JSON.stringify({ payload: { echo: 7 }, correlation_id: 'c-1', reply_topic: 'wactorz/replies/x' }));
    await settle();
    expect(bus.sentTo('wactorz/replies/x')).toEqual([{ status: 'ok', correlation_id: 'c-1', data: { echo: 7 } }]);
  });
});
