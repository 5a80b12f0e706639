// QoS 1 publishes survive a broker outage (and a process restart) in the durable SQLite outbox
// and reach subscribers in their original order; telemetry is dropped meanwhile. Real Mosquitto.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';
import { SqliteOutbox } from '../../../server/src/store/outbox.ts';
import { startMosquitto, type MosquittoBroker } from '../../helpers/brokers.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { eventually, openBus, type BusUnderTest } from '../../unit/bus/support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ mosquitto: MosquittoBroker; db: Db; dataDir: string }> {
  const mosquitto = await startMosquitto();
  cleanups.push(() => mosquitto.stop());
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const db = openDatabase({ dataDir: dir.path });
  cleanups.push(() => void db.close());
  return { mosquitto, db, dataDir: dir.path };
}

async function bus(url: string, db: Db): Promise<BusUnderTest> {
  const b = await openBus(url, { outbox: new SqliteOutbox(db), waitConnected: false });
  cleanups.push(() => b.close());
  return b;
}

const beat = { id: 'w', name: 'w', state: 'running' as const, ts: 1, metrics: { messages_processed: 0, errors: 0, dropped: 0, mailbox: 0, restarts: 0, uptime_s: 0, last_heartbeat: null } };

describe('MQTT outbox across a Mosquitto restart', () => {
  it('sends commands published while the broker was down after it returns, in their original order', async () => {
    const { mosquitto, db } = await setup();
    const { bus: b } = await bus(mosquitto.url, db);
    await eventually(() => b.connected(), 'connected to mosquitto');
    const received: string[] = [];
    const heartbeats: string[] = [];
    b.subscribe('agentCommands', {}, (p) => received.push(p.command));
    b.subscribe('agentHeartbeat', {}, (p) => heartbeats.push(p.id));
    for (let i = 0; i < 3; i++) b.publish('agentCommands', { id: 'w' }, { command: `before-${i}` });
    await eventually(() => received.length === 3, 'commands before the outage');

    await mosquitto.kill();
    await eventually(() => !b.connected(), 'the bus noticed the outage');
    for (let i = 0; i < 50; i++) {
      b.publish('agentCommands', { id: 'w' }, { command: `during-${i}` });
      b.publish('agentHeartbeat', { id: 'w' }, beat);
    }
    expect(b.stats()).toMatchObject({ outboxPending: 50, droppedOffline: 50 });
    expect(db.prepare('SELECT COUNT(*) FROM mqtt_outbox').pluck().get()).toBe(50);

    await mosquitto.start();
    await eventually(() => received.length === 53, 'the outbox flushed after reconnect');
    expect(received).toEqual([...[0, 1, 2].map((i) => `before-${i}`), ...Array.from({ length: 50 }, (_, i) => `during-${i}`)]);
    expect(heartbeats).toEqual([]);
    // A row goes when its PUBACK arrives, which may come after our own subscription delivered it.
    await eventually(() => db.prepare('SELECT COUNT(*) FROM mqtt_outbox').pluck().get() === 0, 'the outbox emptied');

    b.publish('agentCommands', { id: 'w' }, { command: 'after' });
    await eventually(() => received.at(-1) === 'after', 'live commands flow again');
  });

  it('flushes an outbox left by a previous process run once a new bus connects', async () => {
    const { mosquitto, db } = await setup();
    await mosquitto.kill();
    const first = await bus(mosquitto.url, db);
    for (let i = 0; i < 5; i++) first.bus.publish('agentCommands', { id: 'w' }, { command: `left-${i}` });
    await first.close();
    cleanups.pop();

    await mosquitto.start();
    const second = await bus(mosquitto.url, db);
    const received: string[] = [];
    // Subscribed before the connection completes: mqtt.js resubscribes before the flush publishes.
    second.bus.subscribe('agentCommands', {}, (p) => received.push(p.command));
    await eventually(() => received.length === 5, 'the previous run’s outbox arrived');
    expect(received).toEqual(['left-0', 'left-1', 'left-2', 'left-3', 'left-4']);
  });
});
