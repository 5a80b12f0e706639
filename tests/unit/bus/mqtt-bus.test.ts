import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../server/src/bus/embedded-broker.ts';
import type { MalformedReport } from '../../../server/src/bus/bus.ts';
import { MemoryOutbox } from '../../../server/src/store/outbox.ts';
import { freePort, startAedes } from '../../helpers/brokers.ts';
import { bareClient, eventually, openBus, synced, type BusUnderTest } from './support.ts';

let broker: EmbeddedBroker;
const open: { close(): Promise<void> }[] = [];
const bare: MqttClient[] = [];

beforeEach(async () => {
  broker = await startAedes();
});
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const c of bare.splice(0)) await c.endAsync();
  await broker.close();
});

async function busOn(url = broker.url, opts: Parameters<typeof openBus>[1] = {}): Promise<BusUnderTest> {
  const b = await openBus(url, opts);
  open.push(b);
  return b;
}

async function outsider(): Promise<MqttClient> {
  const c = await bareClient(broker.url);
  bare.push(c);
  return c;
}

const heartbeat = (id: string) => ({ id, name: id, state: 'running' as const, ts: 1, metrics: { messages_processed: 0, errors: 0, dropped: 0, mailbox: 0, restarts: 0, uptime_s: 0, last_heartbeat: null } });

describe('MqttBus on a real broker', () => {
  it('shares one broker subscription per filter between subscribers, and drops it with the last one', async () => {
    const under = await busOn();
    const { bus, conn } = under;
    const subscribe = vi.spyOn(conn.client, 'subscribe');
    const unsubscribe = vi.spyOn(conn.client, 'unsubscribe');
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = bus.subscribe('agentHeartbeat', {}, (p) => a.push(p.id));
    const offB = bus.subscribe('agentHeartbeat', {}, (p) => b.push(p.id));
    expect(subscribe).toHaveBeenCalledTimes(1);
    await synced(under);
    const pub = await outsider();
    await pub.publishAsync('wactorz/agents/x1/heartbeat', JSON.stringify(heartbeat('x1')));
    await eventually(() => a.length === 1 && b.length === 1, 'both subscribers got the heartbeat');
    offA();
    expect(unsubscribe).not.toHaveBeenCalled();
    await pub.publishAsync('wactorz/agents/x2/heartbeat', JSON.stringify(heartbeat('x2')));
    await eventually(() => b.length === 2, 'the remaining subscriber still gets heartbeats');
    expect(a).toEqual(['x1']);
    offB();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });

  it('dispatches by + and # patterns, with typed params read from the topic', async () => {
    const under = await busOn();
    const { bus } = under;
    const got: string[] = [];
    bus.subscribe('haStateChange', { domain: 'light' }, (p, params) => got.push(`${params.domain}:${params.entity_id}:${p.entity_id}`));
    bus.subscribeRaw('wactorz/ha/#', (topic) => got.push(`raw ${topic}`));
    const pub = await outsider();
    await synced(under);
    await pub.publishAsync('wactorz/ha/state_changes/light/kitchen', JSON.stringify({ entity_id: 'light.kitchen', domain: 'light', new_state: { state: 'on' }, old_state: null }));
    await pub.publishAsync('wactorz/ha/state_changes/switch/pump', JSON.stringify({ entity_id: 'switch.pump', domain: 'switch', new_state: null, old_state: null }));
    await eventually(() => got.length === 3, 'three deliveries');
    expect(got.sort()).toEqual(['light:kitchen:light.kitchen', 'raw wactorz/ha/state_changes/light/kitchen', 'raw wactorz/ha/state_changes/switch/pump']);
  });

  it('counts and reports malformed payloads without disturbing the subscriber, and isolates a throwing handler', async () => {
    const under = await busOn();
    const { bus } = under;
    const reports: MalformedReport[] = [];
    bus.onMalformed((r) => reports.push(r));
    const ok: string[] = [];
    bus.subscribe('agentHeartbeat', {}, () => {
      throw new Error('subscriber bug');
    });
    bus.subscribe('agentHeartbeat', {}, (p) => ok.push(p.id));
    const pub = await outsider();
    await synced(under);
    await pub.publishAsync('wactorz/agents/a/heartbeat', 'not json at all');
    await pub.publishAsync('wactorz/agents/a/heartbeat', JSON.stringify({ id: 'a', state: 'dancing' }));
    await pub.publishAsync('wactorz/agents/a/heartbeat', JSON.stringify(heartbeat('a')));
    await eventually(() => ok.length === 1, 'the valid heartbeat arrives');
    expect(bus.stats()).toMatchObject({ malformed: 4, handlerErrors: 1 });
    expect(reports.map((r) => [r.key, r.topic])).toContainEqual(['agentHeartbeat', 'wactorz/agents/a/heartbeat']);
    expect(reports[0]?.error).toMatch(/not JSON/);
    expect(reports.find((r) => r.error.includes('state'))?.sample).toContain('dancing');
  });

  it('publishes commands with QoS 1 and telemetry with QoS 0', async () => {
    const { bus } = await busOn();
    const sub = await outsider();
    const qos: Record<string, number> = {};
    sub.on('message', (topic, _p, packet) => (qos[topic.split('/').at(-1) ?? ''] = packet.qos));
    await sub.subscribeAsync('wactorz/#', { qos: 1 });
    bus.publish('agentCommands', { id: 'w' }, { command: 'stop' });
    bus.publish('agentHeartbeat', { id: 'w' }, heartbeat('w'));
    await eventually(() => Object.keys(qos).length === 2, 'both delivered');
    expect(qos).toEqual({ commands: 1, heartbeat: 0 });
  });

  it('while the broker is unreachable, drops telemetry and keeps commands, then sends them in order', async () => {
    const port = await freePort();
    const outbox = new MemoryOutbox();
    const { bus } = await busOn(`mqtt://127.0.0.1:${port}`, { outbox, waitConnected: false });
    for (let i = 0; i < 5; i++) {
      bus.publish('agentCommands', { id: 'w' }, { command: `c${i}` });
      bus.publish('agentHeartbeat', { id: 'w' }, heartbeat('w'));
    }
    expect(bus.stats()).toMatchObject({ outboxPending: 5, droppedOffline: 5 });
    const received: string[] = [];
    bus.subscribe('agentCommands', {}, (p) => received.push(p.command));
    const late = await startEmbeddedBroker({ host: '127.0.0.1', port });
    try {
      await eventually(() => received.length === 5, 'the outbox was flushed');
      expect(received).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
      await eventually(() => bus.stats().outboxPending === 0, 'the last PUBACK emptied the outbox');
      bus.publish('agentCommands', { id: 'w' }, { command: 'live' });
      await eventually(() => received.length === 6, 'live publish after the flush');
    } finally {
      for (const c of open.splice(0)) await c.close();
      await late.close();
    }
  });

  it('gives a later local subscriber the retained state the first one already received', async () => {
    const { bus } = await busOn();
    const pub = await outsider();
    await pub.publishAsync('wactorz/agents/m/manifest', JSON.stringify({ name: 'm', publishes: ['x'] }), { qos: 1, retain: true });
    const first: unknown[] = [];
    bus.subscribe('agentManifest', {}, (p) => first.push(p.name));
    await eventually(() => first.length === 1, 'retained manifest to the first subscriber');
    const second: unknown[] = [];
    bus.subscribe('agentManifest', {}, (p) => second.push(p.name));
    await eventually(() => second.length === 1, 'retained manifest to the second subscriber');
  });
});
