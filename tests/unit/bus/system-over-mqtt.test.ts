// The actor system on a real broker: heartbeats and health reach outside subscribers, and commands
// published by an outside client are executed and answered, refused ones included.
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmbeddedBroker } from '../../../server/src/bus/embedded-broker.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { ActorSystem } from '../../../server/src/core/system.ts';
import { startAedes } from '../../helpers/brokers.ts';
import { EchoActor } from '../core/fixtures.ts';
import { bareClient, eventually, openBus, synced, type BusUnderTest } from './support.ts';

let broker: EmbeddedBroker;
let under: BusUnderTest;
let outside: MqttClient;
let system: ActorSystem;
let clock: ManualClock;
const seen: { topic: string; body: Record<string, unknown> }[] = [];

beforeEach(async () => {
  broker = await startAedes();
  under = await openBus(broker.url);
  outside = await bareClient(broker.url);
  seen.length = 0;
  outside.on('message', (topic, payload) => {
    try {
      seen.push({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown> });
    } catch {
      // the malformed command the test itself publishes
    }
  });
  await outside.subscribeAsync('wactorz/#', { qos: 1 });
  clock = new ManualClock();
  system = new ActorSystem({ clock, bus: under.bus });
  await system.start();
  // The system's own subscriptions must be active at the broker before the tests publish.
  await synced(under);
});

afterEach(async () => {
  await system.stop();
  await outside.endAsync();
  await under.close();
  await broker.close();
});

const on = (topic: string) => seen.filter((m) => m.topic === topic).map((m) => m.body);

describe('ActorSystem over MQTT', () => {
  it('publishes heartbeats and system health that an outside client receives', async () => {
    const a = await system.spawn(new EchoActor({ name: 'lamp-watcher' }));
    await clock.advance(15_000);
    await eventually(() => on(`wactorz/agents/${a.id}/heartbeat`).length === 1 && on('wactorz/system/health').length === 1, 'heartbeat and health');
    expect(on(`wactorz/agents/${a.id}/heartbeat`)[0]).toMatchObject({ name: 'lamp-watcher', state: 'running' });
    expect(on('wactorz/system/health')[0]).toMatchObject({ total: 1, running: 1 });
  });

  it('refuses lifecycle commands from an outside client, protected or not, and still delivers other commands', async () => {
    const worker = await system.spawn(new EchoActor({ name: 'worker' }));
    const main = await system.spawn(new EchoActor({ name: 'main', protected: true }));
    await outside.publishAsync(`wactorz/agents/${worker.id}/commands`, JSON.stringify({ command: 'pause', request_id: 'p1' }), { qos: 1 });
    await outside.publishAsync(`wactorz/agents/${main.id}/commands`, JSON.stringify({ command: 'stop', request_id: 's1' }), { qos: 1 });
    await outside.publishAsync(`wactorz/agents/${worker.id}/commands`, JSON.stringify({ command: 'reload', request_id: 'r1' }), { qos: 1 });
    await eventually(() => on(`wactorz/agents/${worker.id}/commands/reply`).length === 2 && on(`wactorz/agents/${main.id}/commands/reply`).length === 1, 'all three replies');
    const replies = on(`wactorz/agents/${worker.id}/commands/reply`);
    expect(replies).toMatchObject([
      { status: 'error', request_id: 'p1', error: { code: 'forbidden' } },
      { status: 'ok', request_id: 'r1', data: { delivered: true } },
    ]);
    expect(JSON.stringify(replies[0])).toMatch(/pause is not accepted over MQTT/);
    expect(on(`wactorz/agents/${main.id}/commands/reply`)[0]).toMatchObject({ status: 'error', request_id: 's1', error: { code: 'forbidden' } });
    expect([worker.state, main.state]).toEqual(['running', 'running']);
  });

  it('ignores a malformed command, counting it, and keeps serving the next one', async () => {
    const worker = await system.spawn(new EchoActor({ name: 'worker' }));
    await outside.publishAsync(`wactorz/agents/${worker.id}/commands`, 'reload!', { qos: 1 });
    await outside.publishAsync(`wactorz/agents/${worker.id}/commands`, JSON.stringify({ command: 'reload', request_id: 'r2' }), { qos: 1 });
    await eventually(() => on(`wactorz/agents/${worker.id}/commands/reply`).length === 1, 'the valid command was answered');
    expect(on(`wactorz/agents/${worker.id}/commands/reply`)[0]).toEqual({ status: 'ok', request_id: 'r2', data: { delivered: true } });
    expect(under.bus.stats().malformed).toBe(1);
  });
});
