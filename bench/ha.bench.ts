// `npm run bench ha`: a state change in the demo home reaching the client's entity cache
// (home-assistant-js-websocket over `ws`, subscribe_entities, in-place cache), against a bare `ws`
// client that authenticates, subscribes the same way and only JSON-parses the same frames. Both
// announce coalesce_messages, so they receive identical bytes; the difference is the client's own cost.
import { DemoHome } from '../server/src/ha/demo/demo-home.ts';
import { LiveHaClient } from '../server/src/ha/live-client.ts';
import { endpointsFor } from '../server/src/ha/target.ts';
import { createLogger } from '../server/src/logger.ts';
import { nowUs, percentile, type Bench, type BenchResult } from './harness.ts';
import { openRawHa } from './raw-ha.ts';

const ENTITY = 'sensor.living_room_temperature';
const LATENCY_SAMPLES = 3000;
const WARMUP = 300;
const BURST = 20_000;

/** Something that tells us when the value `v` of ENTITY has arrived. */
interface Receiver {
  arrived(cb: (value: string) => void): void;
  close(): Promise<void>;
}

async function clientReceiver(home: DemoHome): Promise<Receiver> {
  const client = new LiveHaClient({ endpoints: endpointsFor('demo', home.url, home.token), logger: createLogger('silent') });
  await client.start();
  await client.ready();
  let cb: (value: string) => void = () => {};
  client.onStateChange((c) => {
    if (c.entityId === ENTITY && c.newState) cb(c.newState.state);
  });
  return { arrived: (f) => (cb = f), close: () => client.stop() };
}

async function bareReceiver(home: DemoHome): Promise<Receiver> {
  let cb: (value: string) => void = () => {};
  let snapshot!: () => void;
  const loaded = new Promise<void>((resolve) => (snapshot = resolve));
  const ha = await openRawHa(home, { type: 'subscribe_entities' }, (e) => {
    const event = e as { a?: object; c?: Record<string, { '+'?: { s?: string } }> };
    if (event.a) snapshot();
    const s = event.c?.[ENTITY]?.['+']?.s;
    if (s !== undefined) cb(s);
  });
  await loaded;
  return { arrived: (f) => (cb = f), close: () => ha.close() };
}

async function measure(home: DemoHome, make: (home: DemoHome) => Promise<Receiver>) {
  const receiver = await make(home);
  let seq = 0;
  const next = () => `${(++seq % 1000) / 10 + 0.05}-${seq}`;
  // Latency: one change at a time, from setState to the value arriving.
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + LATENCY_SAMPLES; i++) {
    const value = next();
    const t0 = nowUs();
    await new Promise<void>((resolve) => {
      receiver.arrived((v) => v === value && resolve());
      home.setState(ENTITY, value);
    });
    if (i >= WARMUP) samples.push(nowUs() - t0);
  }
  // Throughput: a burst of changes, until the last one arrives.
  const values = Array.from({ length: BURST }, next);
  const last = values.at(-1)!;
  const t0 = nowUs();
  await new Promise<void>((resolve) => {
    receiver.arrived((v) => v === last && resolve());
    for (const v of values) home.setState(ENTITY, v);
  });
  const seconds = (nowUs() - t0) / 1e6;
  await receiver.close();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: BURST / seconds };
}

const bench: Bench = async () => {
  const home = new DemoHome();
  await home.start();
  try {
    // One discarded pass warms the demo home's own code paths, so neither side pays for it.
    await measure(home, bareReceiver);
    const bare = await measure(home, bareReceiver);
    const client = await measure(home, clientReceiver);
    const results: BenchResult[] = [
      {
        name: 'HA state change -> cache, latency p50',
        value: client.p50,
        unit: 'µs',
        baseline: { name: 'bare ws + JSON.parse', value: bare.p50 },
        goal: '<= 1 ms and within 2x of bare ws',
        met: client.p50 <= 1000 && client.p50 <= 2 * bare.p50,
      },
      {
        name: 'HA state change -> cache, latency p99',
        value: client.p99,
        unit: 'µs',
        baseline: { name: 'bare ws + JSON.parse', value: bare.p99 },
        goal: '<= 5 ms and within 3x of bare ws',
        met: client.p99 <= 5000 && client.p99 <= 3 * bare.p99,
      },
      {
        name: 'HA state changes -> cache, throughput',
        value: client.perSecond,
        unit: 'changes/s',
        baseline: { name: 'bare ws + JSON.parse', value: bare.perSecond },
        goal: '>= 10k/s and at least half of bare ws',
        met: client.perSecond >= 10_000 && client.perSecond >= bare.perSecond / 2,
      },
    ];
    return results;
  } finally {
    await home.stop();
  }
};
export default bench;
