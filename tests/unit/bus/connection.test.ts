import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

  it('publishes without building mqtt-packet\'s table of 65,536 number Buffers (about 7 MB kept for good)', async () => {
    // A fresh process: in this one another test's client may already have built the table.
    const script = `
      const { connectMqtt } = await import(${JSON.stringify(fileURLToPath(new URL('../../../server/src/bus/connection.ts', import.meta.url)))});
      const { startEmbeddedBroker } = await import(${JSON.stringify(fileURLToPath(new URL('../../../server/src/bus/embedded-broker.ts', import.meta.url)))});
      const { createRequire } = await import('node:module');
      const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
      const conn = connectMqtt({ mode: 'external', url: 'mqtt://127.0.0.1:' + broker.port }, 'no-number-table');
      await new Promise((resolve) => conn.client.once('connect', resolve));
      await conn.client.publishAsync('wactorz/test/numbers', 'x'.repeat(300), { qos: 1 });
      const numbers = createRequire(${JSON.stringify(fileURLToPath(import.meta.url))})('mqtt-packet/numbers.js');
      console.log(JSON.stringify({ cached: Object.keys(numbers.cache).length }));
      await conn.close();
      await broker.close();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-node-snapshot', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ cached: 0 });
  });
});
