// Shared pieces for bus tests: a bus on a real broker, a bare mqtt.js client to play the other
// side, and `eventually` for waiting on network deliveries (it polls; it never asserts on time).
import mqtt, { type MqttClient } from 'mqtt';
import { connectMqtt, type MqttConnection } from '../../../server/src/bus/connection.ts';
import { MqttBus } from '../../../server/src/bus/mqtt-bus.ts';
import type { Outbox } from '../../../server/src/store/outbox.ts';
import { eventually } from '../../helpers/eventually.ts';

export { eventually };

export interface BusUnderTest {
  bus: MqttBus;
  conn: MqttConnection;
  errors: string[];
  close(): Promise<void>;
}

export async function openBus(url: string, opts: { outbox?: Outbox; root?: string; waitConnected?: boolean; ownedTopics?: readonly string[] } = {}): Promise<BusUnderTest> {
  const conn = connectMqtt({ mode: 'external', url }, `test-${Math.random().toString(16).slice(2, 10)}`, { reconnectBaseMs: 50, reconnectCapMs: 200 });
  const errors: string[] = [];
  const bus = new MqttBus({ connection: conn, root: opts.root ?? 'wactorz', outbox: opts.outbox, ...(opts.ownedTopics ? { ownedTopics: opts.ownedTopics } : {}), onError: (e, ctx) => errors.push(`${ctx}: ${e.message}`) });
  await bus.start();
  if (opts.waitConnected ?? true) await eventually(() => bus.connected(), 'bus connected');
  return {
    bus,
    conn,
    errors,
    close: async () => {
      await bus.stop();
      await conn.close();
    },
  };
}

/**
 * Resolves once the broker has processed every SUBSCRIBE this bus sent so far: a broker handles a
 * client's packets in order, so the SUBACK of one more subscription proves the earlier ones.
 */
export function synced(b: BusUnderTest): Promise<void> {
  return new Promise((resolve, reject) => b.conn.client.subscribe(`sync/${Math.random().toString(16).slice(2)}`, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
}

/** A plain mqtt.js client: what an outside device, the edge runner or a bare benchmark uses. */
export async function bareClient(url: string): Promise<MqttClient> {
  return mqtt.connectAsync(url, { reconnectPeriod: 50, clientId: `bare-${Math.random().toString(16).slice(2, 10)}` });
}
