import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../../server/src/bus/embedded-broker.ts';

describe('embedded broker', () => {
  it('accepts a real MQTT client on loopback and routes a retained QoS 1 message', async () => {
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const pub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    await pub.publishAsync('wactorz/test/retained', JSON.stringify({ hello: 'world' }), { qos: 1, retain: true });
    const sub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const got = new Promise<string>((resolve) => sub.on('message', (_t, payload) => resolve(payload.toString())));
    await sub.subscribeAsync('wactorz/test/#', { qos: 1 });
    expect(JSON.parse(await got)).toEqual({ hello: 'world' });
    expect(broker.connectedClients()).toBe(2);
    await pub.endAsync();
    await sub.endAsync();
    await broker.close();
  });

  it('explains a port clash instead of crashing obscurely', async () => {
    const first = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    await expect(startEmbeddedBroker({ host: '127.0.0.1', port: first.port })).rejects.toThrow(/port is in use.*MQTT_EMBEDDED_PORT/);
    await first.close();
  });
});
