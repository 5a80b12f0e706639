// The product's MQTT client socket runs with TCP_NODELAY on every broker and after every
// reconnect. Without it, rules on broker topics stalled ~40 ms per message under load (Nagle's
// algorithm against the broker's delayed ACK; issue 21). Asserted on the socket's own flag, never
// on time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Socket, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMqtt, type MqttConnection } from '../../../server/src/bus/connection.ts';
import { startAedes, startMosquitto } from '../../helpers/brokers.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { requireBinary } from '../../helpers/tools.ts';
import { eventually } from './support.ts';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Node keeps the no-delay a socket was asked for under this symbol (net.js); read it, do not guess. */
function noDelayOf(stream: unknown): boolean {
  if (!(stream instanceof Socket)) throw new Error('the MQTT stream is not a TCP socket');
  const key = Object.getOwnPropertySymbols(stream).find((s) => s.description === 'kSetNoDelay');
  if (!key) throw new Error('this Node no longer records no-delay under kSetNoDelay: update the test');
  return (stream as unknown as Record<symbol, unknown>)[key] === true;
}

function open(url: string): MqttConnection {
  const conn = connectMqtt({ mode: 'external', url }, `nodelay-${Math.random().toString(16).slice(2, 10)}`, { reconnectBaseMs: 20, reconnectCapMs: 50 });
  closers.push(() => conn.close());
  return conn;
}

/** Connects, then drops the socket under the client and waits for the reconnect's new socket. */
async function connectAndReconnect(url: string): Promise<{ first: unknown; second: unknown }> {
  const conn = open(url);
  await eventually(() => conn.state() === 'connected', 'connected');
  const first = conn.client.stream;
  expect(noDelayOf(first)).toBe(true);
  (first as Socket).destroy();
  await eventually(() => conn.state() === 'connected' && conn.client.stream !== first, 'reconnected on a new socket');
  return { first, second: conn.client.stream };
}

describe("the MQTT connection's socket", () => {
  it('has TCP_NODELAY on the embedded broker, where a plain mqtt.js client has not', async () => {
    const broker = await startAedes();
    closers.push(() => broker.close());
    const plain = await mqtt.connectAsync(broker.url);
    closers.push(() => plain.endAsync());
    // The flag read is real: mqtt.js alone leaves Nagle on.
    expect(noDelayOf(plain.stream)).toBe(false);

    const { second } = await connectAndReconnect(broker.url);
    expect(noDelayOf(second)).toBe(true);
  });

  it('has TCP_NODELAY on Mosquitto in its default configuration, after connect and after a reconnect', async () => {
    const broker = await startMosquitto();
    closers.push(() => broker.stop());
    const { second } = await connectAndReconnect(broker.url);
    expect(noDelayOf(second)).toBe(true);
  });

  it('has TCP_NODELAY over TLS (mqtts://), after connect and after a reconnect', async () => {
    const openssl = requireBinary('openssl');
    const dir = makeTempDir('wactorz-tls-');
    closers.push(() => dir.cleanup());
    const key = join(dir.path, 'key.pem');
    const cert = join(dir.path, 'cert.pem');
    execFileSync(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const aedes = await Aedes.createBroker();
    const server = tls.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => aedes.handle(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    closers.push(async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    // The product verifies the broker's certificate; trust this test's for the test's duration.
    const before = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...before, readFileSync(cert, 'utf8')]);
    closers.push(() => tls.setDefaultCACertificates(before));

    const { first, second } = await connectAndReconnect(`mqtts://127.0.0.1:${(server.address() as AddressInfo).port}`);
    expect(first).toBeInstanceOf(tls.TLSSocket);
    expect(noDelayOf(second)).toBe(true);
  });
});
