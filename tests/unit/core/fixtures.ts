// Small actors for kernel tests. Each records what it saw so tests assert behaviour, not internals.
import { Actor, type ActorOptions } from '../../../server/src/core/actor.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import type { Message } from '../../../server/src/core/messages.ts';
import { ActorSystem, type ActorSystemOptions } from '../../../server/src/core/system.ts';
import { MemoryBus } from '../../../server/src/bus/memory-bus.ts';

/** Answers `{echo: x}` to tasks; `{crash: true}` throws; `{wait: promise}` awaits it first. */
export class EchoActor extends Actor {
  readonly seen: unknown[] = [];
  started = 0;
  stopped = 0;

  constructor(opts: ActorOptions) {
    super(opts);
  }

  protected override onStart(): void {
    this.started++;
  }

  protected override onStop(): void {
    this.stopped++;
  }

  protected handle(msg: Message): unknown {
    if (msg.type !== 'task') {
      this.seen.push(msg);
      return undefined;
    }
    const p = msg.payload as { crash?: boolean; wait?: Promise<unknown>; echo?: unknown; exit?: boolean };
    this.seen.push(p.echo ?? p);
    if (p.crash) throw new Error('boom');
    if (p.exit) {
      this.stopSelf();
      return undefined;
    }
    if (p.wait) return p.wait.then(() => ({ echo: p.echo }));
    return { echo: p.echo };
  }
}

/** A deferred promise, to hold a handler busy until the test releases it. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function makeSystem(opts: ActorSystemOptions = {}): { system: ActorSystem; clock: ManualClock; bus: MemoryBus } {
  const clock = new ManualClock();
  const bus = new MemoryBus('wactorz');
  const system = new ActorSystem({ clock, bus, ...opts });
  return { system, clock, bus };
}

/** Lets queued microtasks and one macrotask turn run (actors drain on microtasks). */
export async function settle(): Promise<void> {
  await new Promise((r) => setImmediate(r));
}
