// In-process kernel figures: tell throughput against a bare queue, ask round trip, supervisor
// restart latency. Both sides of each comparison do the same work per message (build the
// message, enqueue, dequeue, call a handler) so the ratio is the kernel's own cost.
import { nowUs, percentile, type BenchResult } from '../harness.ts';
import { Actor } from '../../server/src/core/actor.ts';
import { task, type Message } from '../../server/src/core/messages.ts';
import { ActorSystem } from '../../server/src/core/system.ts';

class Counter extends Actor {
  n = 0;
  protected handle(msg: Message): unknown {
    if (msg.type !== 'task') return undefined;
    this.n++;
    return msg.payload;
  }
}

/** The baseline: an array queue drained on a microtask, calling a handler per message. */
class BareQueue {
  n = 0;
  #items: Message[] = [];
  #head = 0;
  #scheduled = false;
  readonly #drain = () => {
    this.#scheduled = false;
    while (this.#head < this.#items.length) {
      const m = this.#items[this.#head++];
      if (m.type === 'task') this.n++;
    }
    this.#items.length = 0;
    this.#head = 0;
  };
  push(m: Message): void {
    this.#items.push(m);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#drain);
    }
  }
}

const TOTAL = 3_000_000;
const BATCH = 1_000;

async function pump(send: (m: Message) => void): Promise<number> {
  const t0 = nowUs();
  for (let sent = 0; sent < TOTAL; sent += BATCH) {
    for (let i = 0; i < BATCH; i++) send(task(i));
    await Promise.resolve();
  }
  return TOTAL / ((nowUs() - t0) / 1e6);
}

async function tellThroughput(): Promise<BenchResult> {
  const system = new ActorSystem();
  const counter = await system.spawn(new Counter({ name: 'counter' }));
  const bare = new BareQueue();
  let ours = 0;
  let base = 0;
  // Warm both paths, then keep the best of three runs each (interleaved) to damp GC and JIT noise.
  await pump((m) => bare.push(m));
  await pump((m) => counter.tell(m));
  for (let r = 0; r < 3; r++) {
    base = Math.max(base, await pump((m) => bare.push(m)));
    ours = Math.max(ours, await pump((m) => counter.tell(m)));
  }
  if (counter.n !== 4 * TOTAL || bare.n !== 4 * TOTAL) throw new Error(`lost messages: ${counter.n} / ${bare.n}`);
  await system.stop();
  return {
    name: 'tell throughput (actor mailbox)',
    value: ours,
    unit: 'msg/s',
    baseline: { name: 'bare in-process queue', value: base },
    goal: '>= 1M msg/s and within 3x of baseline',
    met: ours >= 1e6 && ours * 3 >= base,
  };
}

async function askRoundTrip(): Promise<BenchResult[]> {
  const system = new ActorSystem();
  await system.spawn(new Counter({ name: 'echo' }));
  for (let i = 0; i < 20_000; i++) await system.ask('echo', i);
  const samples: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const t0 = nowUs();
    await system.ask('echo', i);
    samples.push(nowUs() - t0);
  }
  await system.stop();
  const p50 = percentile(samples, 50);
  return [
    { name: 'ask round trip p50', value: p50, unit: 'µs', goal: '< 20 µs', met: p50 < 20 },
    { name: 'ask round trip p99', value: percentile(samples, 99), unit: 'µs' },
  ];
}

class Crasher extends Actor {
  protected handle(msg: Message): unknown {
    if (msg.type === 'task') throw new Error('crash on purpose');
    return undefined;
  }
}

async function restartLatency(): Promise<BenchResult[]> {
  const system = new ActorSystem({ root: { maxRestarts: 1e9, periodMs: 1, restartDelayMs: 0 } });
  await system.supervisor.supervise({ name: 'crasher', factory: () => new Crasher({ name: 'crasher' }) });
  await system.start();
  let restarted: (() => void) | undefined;
  system.onEvent((e) => e.type === 'restarted' && restarted?.());
  const samples: number[] = [];
  for (let i = 0; i < 3_000; i++) {
    const done = new Promise<void>((r) => (restarted = r));
    const t0 = nowUs();
    system.tell('crasher', task('boom'));
    await done;
    if (i >= 500) samples.push(nowUs() - t0);
  }
  if (system.get('crasher')?.state !== 'running') throw new Error('crasher did not come back');
  await system.stop();
  const p50 = percentile(samples, 50) / 1000;
  const p99 = percentile(samples, 99) / 1000;
  return [
    { name: 'supervisor restart latency p50 (zero delay)', value: p50, unit: 'ms', goal: '< 5 ms', met: p50 < 5 },
    { name: 'supervisor restart latency p99 (zero delay)', value: p99, unit: 'ms', goal: '< 5 ms', met: p99 < 5 },
  ];
}

export async function actorBenches(): Promise<BenchResult[]> {
  return [await tellThroughput(), ...(await askRoundTrip()), ...(await restartLatency())];
}
