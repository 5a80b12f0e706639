import { afterEach, describe, expect, it } from 'vitest';
import { AskTimeoutError } from '../../../server/src/core/lifecycle.ts';
import { task } from '../../../server/src/core/messages.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';
import { openDatabase } from '../../../server/src/store/database.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { EchoActor, deferred, makeSystem, settle } from './fixtures.ts';
import type { ActorSystem } from '../../../server/src/core/system.ts';
import { Actor } from '../../../server/src/core/actor.ts';
import type { Message } from '../../../server/src/core/messages.ts';

let system: ActorSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

describe('Actor', () => {
  it('goes CREATED -> RUNNING -> PAUSED -> RUNNING -> STOPPED and runs its start and stop hooks once', async () => {
    const s = makeSystem();
    system = s.system;
    const a = new EchoActor({ name: 'echo' });
    expect(a.status).toEqual({ state: 'created' });
    await s.system.spawn(a);
    expect(a.state).toBe('running');
    expect(s.system.pauseActor('echo')).toBe(true);
    expect(a.state).toBe('paused');
    expect(s.system.resumeActor('echo')).toBe(true);
    await s.system.stopActor('echo');
    expect(a.status).toMatchObject({ state: 'stopped', reason: 'stopped' });
    expect([a.started, a.stopped]).toEqual([1, 1]);
  });

  it('handles messages one at a time, in order, even when a handler awaits', async () => {
    const s = makeSystem();
    system = s.system;
    const a = await s.system.spawn(new EchoActor({ name: 'echo' }));
    const gate = deferred();
    const first = s.system.ask('echo', { echo: 1, wait: gate.promise });
    const second = s.system.ask('echo', { echo: 2 });
    await settle();
    expect(a.seen).toEqual([1]);
    gate.resolve();
    expect(await first).toEqual({ echo: 1 });
    expect(await second).toEqual({ echo: 2 });
    expect(a.seen).toEqual([1, 2]);
    expect(a.metrics().messagesProcessed).toBe(2);
  });

  it('queues messages while paused and handles them after resume', async () => {
    const s = makeSystem();
    system = s.system;
    const a = await s.system.spawn(new EchoActor({ name: 'echo' }));
    s.system.pauseActor('echo');
    s.system.tell('echo', task({ echo: 'later' }));
    await settle();
    expect(a.seen).toEqual([]);
    s.system.resumeActor('echo');
    await settle();
    expect(a.seen).toEqual(['later']);
  });

  it('refuses messages beyond its mailbox capacity and counts them', async () => {
    const s = makeSystem();
    system = s.system;
    const a = await s.system.spawn(new EchoActor({ name: 'small', mailboxCapacity: 2 }));
    s.system.pauseActor('small');
    expect([1, 2, 3].map((n) => a.tell(task({ echo: n })))).toEqual([true, true, false]);
    expect(a.metrics().dropped).toBe(1);
    await expect(s.system.ask('small', { echo: 4 })).rejects.toThrow(/mailbox is full/);
  });

  it('gives two identical concurrent asks their own answers', async () => {
    const s = makeSystem();
    system = s.system;
    class Counter extends Actor {
      n = 0;
      protected handle(msg: Message): unknown {
        return msg.type === 'task' ? ++this.n : undefined;
      }
    }
    await s.system.spawn(new Counter({ name: 'counter' }));
    const answers = await Promise.all([s.system.ask('counter', 'same'), s.system.ask('counter', 'same')]);
    expect(answers.sort()).toEqual([1, 2]);
  });

  it('answers a deferred reply to the right asker when replies come back out of order', async () => {
    const s = makeSystem();
    system = s.system;
    class Deferring extends Actor {
      held: Message[] = [];
      protected handle(msg: Message): unknown {
        if (msg.type !== 'task') return undefined;
        if (msg.payload === 'flush') {
          for (const m of this.held.reverse()) this.reply(m, `answer to ${String((m as { payload: unknown }).payload)}`);
          return 'flushed';
        }
        this.held.push(msg);
        return undefined;
      }
    }
    await s.system.spawn(new Deferring({ name: 'deferring' }));
    const a = s.system.ask('deferring', 'a');
    const b = s.system.ask('deferring', 'b');
    await s.system.ask('deferring', 'flush');
    expect(await Promise.all([a, b])).toEqual(['answer to a', 'answer to b']);
  });

  it('rejects an unanswered ask after its timeout, driven by the clock', async () => {
    const s = makeSystem();
    system = s.system;
    await s.system.spawn(new EchoActor({ name: 'echo' }));
    const gate = deferred();
    const pending = s.system.ask('echo', { wait: gate.promise }, { timeoutMs: 5_000 });
    const outcome = pending.then(() => 'answered', (e: unknown) => e);
    await s.clock.advance(4_999);
    await s.clock.advance(1);
    const err = await outcome;
    expect(err).toBeInstanceOf(AskTimeoutError);
    expect((err as Error).message).toMatch(/echo did not answer within 5000 ms/);
    gate.resolve();
  });

  it('fails on a throwing handler, rejects the ask with the error, and publishes it to agents/{id}/errors', async () => {
    const s = makeSystem();
    system = s.system;
    const a = await s.system.spawn(new EchoActor({ name: 'fragile' }));
    await expect(s.system.ask('fragile', { crash: true })).rejects.toThrow(/fragile failed: boom/);
    expect(a.status).toMatchObject({ state: 'failed', failure: { reason: 'crash', error: { message: 'boom' } } });
    expect(a.stopped).toBe(1);
    await settle();
    expect(s.bus.sentTo(`wactorz/agents/${a.id}/errors`)).toEqual([expect.objectContaining({ severity: 'critical', message: 'boom' })]);
  });

  it('persists values that survive a new incarnation and a reopened database', async () => {
    const dir = makeTempDir();
    class Keeper extends Actor {
      protected handle(msg: Message): unknown {
        if (msg.type !== 'task') return undefined;
        if (msg.payload === 'read') return this.recall('count', 0);
        this.persist('count', this.recall('count', 0) + 1);
        return 'ok';
      }
    }
    try {
      for (const expected of [2, 4]) {
        const db = openDatabase({ dataDir: dir.path });
        const s = makeSystem({ store: new SqliteKeyValueStore(db) });
        await s.system.spawn(new Keeper({ name: 'keeper' }));
        await s.system.ask('keeper', 'inc');
        await s.system.ask('keeper', 'inc');
        expect(await s.system.ask('keeper', 'read')).toBe(expected);
        await s.system.stop();
        db.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
