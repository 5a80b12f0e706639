// MQTT delivery through the bus against a bare mqtt.js client pair on the same broker: publish ->
// subscriber latency (one message in flight) and throughput (a burst of 20k), for the embedded
// aedes broker and a real Mosquitto. Both sides send the same JSON heartbeat at QoS 0 and parse it
// on receipt; the bus adds its typed topic, the in-process dispatch and the zod validation.
// Nagle's algorithm is off on every socket of both pairs (the bus's connection sets it; the bare
// pair sets it here) and on Mosquitto's side (`set_tcp_nodelay true`; the embedded broker sets it):
// with it on anywhere, runs landed at random in a ~23 µs or a ~100 µs mode and the ratio meant nothing.
import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { nowUs, percentile, type BenchResult } from '../harness.ts';
import { connectMqtt, type MqttConnection } from '../../server/src/bus/connection.ts';
import { MqttBus } from '../../server/src/bus/mqtt-bus.ts';
import type { Heartbeat } from '../../server/src/bus/payloads.ts';
import { startEmbeddedBroker } from '../../server/src/bus/embedded-broker.ts';
import { startMosquitto } from '../../tests/helpers/brokers.ts';

const PINGS = 2_000;
const BURST = 20_000;
const ROUNDS = 5;

interface Pair {
  /** Publishes heartbeat number `seq`. */
  send(seq: number): void;
  /** Called with each received seq. */
  onReceive: (seq: number) => void;
  close(): Promise<void>;
}

const beat = (seq: number): Heartbeat => ({
  id: 'b1',
  name: 'bench',
  state: 'running',
  ts: seq,
  metrics: { messages_processed: seq, errors: 0, dropped: 0, mailbox: 0, restarts: 0, uptime_s: 1, last_heartbeat: null },
});

async function barePair(url: string, root: string): Promise<Pair> {
  const topic = `${root}/agents/b1/heartbeat`;
  const [pub, sub]: [MqttClient, MqttClient] = await Promise.all([mqtt.connectAsync(url), mqtt.connectAsync(url)]);
  for (const c of [pub, sub]) (c.stream as Socket).setNoDelay(true);
  const pair: Pair = {
    send: (seq) => pub.publish(topic, JSON.stringify(beat(seq)), { qos: 0 }),
    onReceive: () => undefined,
    close: async () => void (await Promise.all([pub.endAsync(), sub.endAsync()])),
  };
  sub.on('message', (_t, payload) => pair.onReceive((JSON.parse(payload.toString()) as Heartbeat).ts));
  await sub.subscribeAsync(`${root}/agents/+/heartbeat`, { qos: 1 });
  return pair;
}

async function busPair(url: string, root: string): Promise<Pair> {
  const open = async (): Promise<[MqttBus, MqttConnection]> => {
    const conn = connectMqtt({ mode: 'external', url }, `bench-${Math.random().toString(16).slice(2)}`);
    const bus = new MqttBus({ connection: conn, root });
    await bus.start();
    await new Promise<void>((r) => (conn.client.connected ? r() : conn.client.once('connect', () => r())));
    return [bus, conn];
  };
  const [[pub, pubConn], [sub, subConn]] = await Promise.all([open(), open()]);
  const pair: Pair = {
    send: (seq) => pub.publish('agentHeartbeat', { id: 'b1' }, beat(seq)),
    onReceive: () => undefined,
    close: async () => {
      await Promise.all([pub.stop(), sub.stop()]);
      await Promise.all([pubConn.close(), subConn.close()]);
    },
  };
  sub.subscribe('agentHeartbeat', {}, (p) => pair.onReceive(p.ts));
  // The SUBSCRIBE must be acknowledged before measuring: a ping round trip proves it.
  await ping(pair, -1);
  return pair;
}

function ping(pair: Pair, seq: number): Promise<void> {
  return new Promise((resolve) => {
    pair.onReceive = (got) => got === seq && resolve();
    pair.send(seq);
  });
}

async function latency(pair: Pair): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < PINGS; i++) {
    const t0 = nowUs();
    await ping(pair, i);
    if (i >= 200) samples.push(nowUs() - t0);
  }
  return samples;
}

async function throughput(pair: Pair): Promise<number> {
  let got = 0;
  const done = new Promise<void>((resolve) => (pair.onReceive = () => ++got === BURST && resolve()));
  const t0 = nowUs();
  for (let i = 0; i < BURST; i++) pair.send(i);
  await done;
  return BURST / ((nowUs() - t0) / 1e6);
}

interface Figures {
  p50: number;
  p99: number;
  rate: number;
}

async function measure(make: () => Promise<Pair>): Promise<Figures> {
  const pair = await make();
  try {
    const samples = await latency(pair);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99), rate: await throughput(pair) };
  } finally {
    await pair.close();
  }
}

/** Interleaves bare and bus rounds (so both see the same machine state) and keeps each side's best. */
async function compare(brokerName: string, url: string): Promise<BenchResult[]> {
  const root = `bench${Math.random().toString(16).slice(2, 8)}`;
  const best = (a: Figures | undefined, b: Figures): Figures => (a ? { p50: Math.min(a.p50, b.p50), p99: Math.min(a.p99, b.p99), rate: Math.max(a.rate, b.rate) } : b);
  let bare: Figures | undefined;
  let bus: Figures | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    bare = best(bare, await measure(() => barePair(url, root)));
    bus = best(bus, await measure(() => busPair(url, root)));
  }
  if (!bare || !bus) throw new Error('no rounds ran');
  const within = (ours: number, base: number) => ours <= base * 1.2;
  return [
    { name: `MQTT delivery p50 (${brokerName})`, value: bus.p50, unit: 'µs', baseline: { name: 'bare mqtt.js pair', value: bare.p50 }, goal: 'bus adds < 20%', met: within(bus.p50, bare.p50) },
    { name: `MQTT delivery p99 (${brokerName})`, value: bus.p99, unit: 'µs', baseline: { name: 'bare mqtt.js pair', value: bare.p99 }, goal: 'bus adds < 20%', met: within(bus.p99, bare.p99) },
    { name: `MQTT throughput (${brokerName})`, value: bus.rate, unit: 'msg/s', baseline: { name: 'bare mqtt.js pair', value: bare.rate }, goal: 'bus adds < 20%', met: within(bare.rate, bus.rate) },
  ];
}

export async function mqttBenches(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const aedes = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
  try {
    results.push(...(await compare('embedded aedes', aedes.url)));
  } finally {
    await aedes.close();
  }
  const mosquitto = await startMosquitto({ tcpNoDelay: true });
  try {
    results.push(...(await compare('Mosquitto', mosquitto.url)));
  } finally {
    await mosquitto.stop();
  }
  return results;
}
