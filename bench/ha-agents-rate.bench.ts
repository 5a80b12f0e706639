// `npm run bench ha-agents-rate` (also run by `npm run bench ha-agents`): rule latency under a
// steady load, the way a house with busy sensors drives it. Changes arrive open-loop at RATE per
// second, whatever the rule's speed (a one-at-a-time ping hides queueing: issue 21 found p99
// 45-72 ms at 800/s that the sequential figures never showed), and each latency runs from the
// change to the call_service the demo home receives. Two rules, both "trigger -> light.turn_on":
//  - HA-state rule: a sensor's state change in the demo home; the product delivers it to the rule
//    in-process (ha/state_changes/# is process-owned) and mirrors it to the broker, where a
//    watcher times the mirror too. Baseline: a raw `ws` client on HA's state_changed events calling
//    the service on the same socket (what Node-RED's HA nodes do) and relaying each change to the
//    broker with a raw no-delay mqtt.js client.
//  - MQTT-topic rule: a device publishing on custom/triggers/porch; the product hears it through
//    the broker. Baseline: a raw mqtt.js subscriber and a raw `ws` caller, with TCP_NODELAY set on
//    its MQTT socket so that the baseline does not share the flaw under test.
// Each runs on the embedded aedes broker and on Mosquitto in its default configuration (Nagle on
// its sockets): the product must not depend on the broker's socket settings. Mosquitto runs a
// third time with `set_tcp_nodelay true`, which separates the broker's own Nagle (it holds what
// it sends to any subscriber until that subscriber's delayed ACK) from anything on our side.
import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { HaActuatorAgent } from '../server/src/agents/ha/actuator/actuator-agent.ts';
import { HaStateBridge } from '../server/src/agents/ha/state-bridge.ts';
import { validateSpawnConfig } from '../server/src/agents/spawn-config/validate.ts';
import { connectMqtt } from '../server/src/bus/connection.ts';
import { startEmbeddedBroker } from '../server/src/bus/embedded-broker.ts';
import { MqttBus } from '../server/src/bus/mqtt-bus.ts';
import { PROCESS_OWNED_TOPICS } from '../server/src/bus/topics.ts';
import { ActorSystem } from '../server/src/core/system.ts';
import { DemoHome } from '../server/src/ha/demo/demo-home.ts';
import { LiveHaClient } from '../server/src/ha/live-client.ts';
import { endpointsFor } from '../server/src/ha/target.ts';
import { createLogger } from '../server/src/logger.ts';
import { startMosquitto } from '../tests/helpers/brokers.ts';
import { nowUs, percentile, type Bench, type BenchResult } from './harness.ts';
import { openRawHa } from './raw-ha.ts';

const ROOT = 'wactorz';
const SENSOR = 'binary_sensor.porch_door';
const TRIGGER = 'custom/triggers/porch';
const RATE = 800;
const SECONDS = 5;
/** The first second is warm-up (JIT, socket buffers), not reported. */
const WARMUP = RATE;

type Path = 'ha-state' | 'mqtt-topic';

interface Rule {
  close(): Promise<void>;
}

const rid = () => Math.random().toString(16).slice(2, 10);

// ---- ours: the real HA client, bus, kernel, state bridge and ha_actuator ----

async function ourRule(home: DemoHome, url: string, path: Path): Promise<Rule> {
  const ha = new LiveHaClient({ endpoints: endpointsFor('demo', home.url, home.token), logger: createLogger('silent') });
  await ha.start();
  await ha.ready();
  const conn = connectMqtt({ mode: 'external', url }, `bench-rate-${rid()}`);
  // As the runtime builds it: HA state changes reach rules in-process, mirrored to the broker.
  const bus = new MqttBus({ connection: conn, root: ROOT, ownedTopics: PROCESS_OWNED_TOPICS });
  await bus.start();
  await new Promise<void>((r) => (conn.client.connected ? r() : conn.client.once('connect', () => r())));
  const system = new ActorSystem({ bus });
  await system.start();
  await system.spawn(new HaStateBridge({ ha }));
  const r = validateSpawnConfig({
    type: 'ha_actuator', name: 'bench-porch-rule', mqtt_topics: [path === 'ha-state' ? `ha/state_changes/binary_sensor/${SENSOR}` : TRIGGER],
    detection_filter: path === 'ha-state' ? { 'new_state.state': 'on' } : { state: 'on' }, cooldown_seconds: 0, actions: [{ service: 'light.turn_on', entity_id: 'light.hallway' }],
  });
  if (!r.ok || r.config.type !== 'ha_actuator') throw new Error('bench rule config');
  await system.spawn(new HaActuatorAgent(r.config, { ha, sensitiveConfirmed: false }));
  await subscribed(conn.client);
  return {
    close: async () => {
      await system.stop();
      await bus.stop();
      await conn.close();
      await ha.stop();
    },
  };
}

// ---- baseline: a raw HA websocket client (and, for the MQTT rule, a raw no-delay mqtt.js client) ----

interface StateChanged {
  entity_id: string;
  new_state: { state: string; last_updated: string } | null;
  old_state: unknown;
}

async function rawHa(home: DemoHome, onChange: ((e: StateChanged, context: unknown) => void) | undefined): Promise<{ callTurnOn(): void; close(): Promise<void> }> {
  const ha = await openRawHa(home, { type: 'subscribe_events', event_type: 'state_changed' }, (e) => {
    const event = e as { data: StateChanged; context: unknown };
    onChange?.(event.data, event.context);
  });
  return {
    callTurnOn: () => ha.send({ type: 'call_service', domain: 'light', service: 'turn_on', target: { entity_id: ['light.hallway'] } }),
    close: () => ha.close(),
  };
}

/** A raw mqtt.js client with Nagle off on its socket, as a careful hand-written relay would have. */
async function noDelayClient(url: string, prefix: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { clientId: `${prefix}-${rid()}` });
  (client.stream as Socket).setNoDelay(true);
  return client;
}

async function bareRule(home: DemoHome, url: string, path: Path): Promise<Rule> {
  if (path === 'ha-state') {
    const pub = await noDelayClient(url, 'bench-rate-relay');
    let call = () => undefined as void;
    const ha = await rawHa(home, (e, context) => {
      if (e.entity_id === SENSOR && e.new_state?.state === 'on') call();
      const domain = e.entity_id.slice(0, e.entity_id.indexOf('.'));
      const payload = { entity_id: e.entity_id, domain, new_state: e.new_state, old_state: e.old_state, context, timestamp: e.new_state?.last_updated };
      pub.publish(`${ROOT}/ha/state_changes/${domain}/${e.entity_id}`, JSON.stringify(payload), { qos: 0 });
    });
    call = () => ha.callTurnOn();
    return {
      close: async () => {
        await ha.close();
        await pub.endAsync();
      },
    };
  }
  const ha = await rawHa(home, undefined);
  const sub = await noDelayClient(url, 'bench-rate-bare');
  sub.on('message', (_topic, payload) => {
    if ((JSON.parse(payload.toString()) as { state?: string }).state === 'on') ha.callTurnOn();
  });
  await sub.subscribeAsync(`${ROOT}/${TRIGGER}`, { qos: 1 });
  return {
    close: async () => {
      await sub.endAsync();
      await ha.close();
    },
  };
}

/** A SUBACK for one more subscription proves the broker has the client's earlier ones. */
function subscribed(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => client.subscribe(`sync/${rid()}`, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
}

// ---- the load ----

/** Fires `fire(i)` for i in [0, total) on a fixed schedule; a late tick catches up (open loop). */
async function drive(total: number, fire: (i: number) => void): Promise<void> {
  const periodUs = 1e6 / RATE;
  const start = nowUs();
  let i = 0;
  while (i < total) {
    const now = nowUs();
    while (i < total && start + i * periodUs <= now) fire(i++);
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, (start + i * periodUs - nowUs()) / 1000)));
  }
}

interface Figures {
  p50: number;
  p99: number;
  max: number;
}

interface Run {
  rule: Figures;
  /** HA-state path only: change -> the broker's copy at a watcher. */
  mirror?: Figures;
}

function figures(samples: readonly number[]): Figures {
  const kept = samples.slice(WARMUP);
  return { p50: percentile(kept, 50), p99: percentile(kept, 99), max: Math.max(...kept) };
}

async function measure(home: DemoHome, url: string, path: Path, make: typeof ourRule): Promise<Run> {
  const rule = await make(home, url, path);
  // The device: a sensor in the demo home, or an MQTT client (no-delay, so only the rule's side is measured).
  const device = path === 'mqtt-topic' ? await noDelayClient(url, 'bench-rate-device') : undefined;
  const watcher = path === 'ha-state' ? await noDelayClient(url, 'bench-rate-watch') : undefined;
  const total = RATE * SECONDS;
  const sentAt: number[] = [];
  const samples: number[] = [];
  const mirrored: number[] = [];
  watcher?.on('message', (_t, payload) => {
    const seq = (JSON.parse(payload.toString()) as { new_state?: { attributes?: { seq?: number } } }).new_state?.attributes?.seq;
    const t0 = seq === undefined ? undefined : sentAt[seq];
    if (t0 !== undefined) mirrored.push(nowUs() - t0);
  });
  await watcher?.subscribeAsync(`${ROOT}/ha/state_changes/binary_sensor/${SENSOR}`, { qos: 0 });
  let calls = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (allDone = r));
  // Every trigger makes exactly one call, in order, so the k-th call answers the k-th trigger.
  const off = home.onServiceCall((c) => {
    if (c.domain !== 'light' || c.service !== 'turn_on') return;
    const t0 = sentAt[calls];
    if (t0 !== undefined) samples.push(nowUs() - t0);
    if (++calls === total) allDone();
  });
  await drive(total, (i) => {
    sentAt.push(nowUs());
    // Every change is a trigger: the state stays "on" and an attribute moves (HA reports that as
    // a state change too), so RATE changes/s make RATE calls/s.
    if (path === 'ha-state') home.setState(SENSOR, 'on', { seq: i });
    else device?.publish(`${ROOT}/${TRIGGER}`, JSON.stringify({ state: 'on', seq: i }), { qos: 0 });
  });
  const timeout = setTimeout(allDone, 10_000);
  await done;
  clearTimeout(timeout);
  off();
  await device?.endAsync();
  await rule.close();
  await watcher?.endAsync();
  home.clearRecords();
  if (calls !== total) throw new Error(`${path}: ${calls} calls for ${total} triggers`);
  return { rule: figures(samples), ...(watcher ? { mirror: figures(mirrored) } : {}) };
}

async function compare(home: DemoHome, brokerName: string, url: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const path of ['ha-state', 'mqtt-topic'] as const) {
    const bare = await measure(home, url, path, bareRule);
    const ours = await measure(home, url, path, ourRule);
    const label = `${path === 'ha-state' ? 'HA-state' : 'MQTT-topic'} rule at ${RATE}/s, ${brokerName}`;
    const base = path === 'ha-state' ? 'raw ws rule + no-delay mqtt.js mirror' : 'raw no-delay mqtt.js + ws rule';
    results.push(
      { name: `${label}, p50`, value: ours.rule.p50 / 1000, unit: 'ms', baseline: { name: base, value: bare.rule.p50 / 1000 }, goal: '<= 1 ms', met: ours.rule.p50 <= 1000 },
      { name: `${label}, p99`, value: ours.rule.p99 / 1000, unit: 'ms', baseline: { name: base, value: bare.rule.p99 / 1000 }, goal: '<= 3 ms', met: ours.rule.p99 <= 3000 },
      { name: `${label}, max`, value: ours.rule.max / 1000, unit: 'ms', baseline: { name: base, value: bare.rule.max / 1000 } },
    );
    if (ours.mirror && bare.mirror) {
      const m = `HA state mirror at ${RATE}/s, ${brokerName}`;
      results.push(
        { name: `${m}, p50`, value: ours.mirror.p50 / 1000, unit: 'ms', baseline: { name: 'raw no-delay relay', value: bare.mirror.p50 / 1000 }, goal: '<= 1 ms', met: ours.mirror.p50 <= 1000 },
        { name: `${m}, p99`, value: ours.mirror.p99 / 1000, unit: 'ms', baseline: { name: 'raw no-delay relay', value: bare.mirror.p99 / 1000 }, goal: '<= 3 ms', met: ours.mirror.p99 <= 3000 },
      );
    }
  }
  return results;
}

const bench: Bench = async () => {
  const home = new DemoHome();
  await home.start();
  home.setState(SENSOR, 'off', { device_class: 'door', friendly_name: 'Porch door' });
  const results: BenchResult[] = [];
  try {
    const aedes = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    try {
      // A discarded pass warms the demo home and both code paths.
      await measure(home, aedes.url, 'mqtt-topic', bareRule);
      await measure(home, aedes.url, 'mqtt-topic', ourRule);
      results.push(...(await compare(home, 'embedded aedes', aedes.url)));
    } finally {
      await aedes.close();
    }
    for (const tcpNoDelay of [false, true]) {
      const mosquitto = await startMosquitto({ tcpNoDelay });
      try {
        results.push(...(await compare(home, tcpNoDelay ? 'Mosquitto (set_tcp_nodelay true)' : 'Mosquitto (default config)', mosquitto.url)));
      } finally {
        await mosquitto.stop();
      }
    }
  } finally {
    await home.stop();
  }
  return results;
};
export default bench;
