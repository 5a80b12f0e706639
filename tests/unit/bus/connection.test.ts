import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, connectMqtt, type MqttConnection } from '../../../server/src/bus/connection.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../server/src/bus/embedded-broker.ts';
import type { ConnectionState } from '../../../server/src/core/connection-state.ts';
import { freePort } from '../../helpers/brokers.ts';
import { eventually } from './support.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('the MQTT connection', () => {
  it('computes a doubling reconnect delay with a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n, 500, 30_000))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('backs off while the broker is unreachable, reports its states, and resets once connected', async () => {
    const port = await freePort();
    const conn: MqttConnection = connectMqtt({ mode: 'external', url: `mqtt://127.0.0.1:${port}` }, 'backoff-test', { reconnectBaseMs: 10, reconnectCapMs: 40 });
    closers.push(() => conn.close());
    const states: ConnectionState[] = [];
    const periods: number[] = [];
    conn.onState((s) => states.push(s));
    conn.client.on('reconnect', () => periods.push(conn.client.options.reconnectPeriod ?? -1));
    await eventually(() => periods.length >= 4, 'four reconnect attempts');
    expect(periods.slice(0, 4)).toEqual([20, 40, 40, 40]);
    expect(conn.state()).not.toBe('connected');
    expect(states).toContain('disconnected');

    const broker: EmbeddedBroker = await startEmbeddedBroker({ host: '127.0.0.1', port });
    closers.unshift(() => broker.close());
    await eventually(() => conn.state() === 'connected', 'connected once the broker is up');
    expect(conn.client.options.reconnectPeriod).toBe(10);
    await conn.close();
    expect(conn.state()).toBe('disabled');
  });
});
