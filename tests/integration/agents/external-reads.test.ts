// Device topics outside the root (mqtt_read_topics) end to end on an aedes broker: an agent
// reads an allowed Zigbee2MQTT topic as the device publishes it, is refused one the owner did not
// allow and any publish outside the root; malformed and oversized payloads and a flood are
// handled as for every other inbound message.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { EXTERNAL_MAX_PAYLOAD_BYTES } from '../../../server/src/bus/external-reads.ts';
import { startWorld, until, type AgentWorld } from '../../helpers/agent-world.ts';

let world: AgentWorld;
let device: MqttClient;

const READER = `
async function setup(agent) {
  agent.state.got = [];
  agent.subscribe('zigbee2mqtt/+', async (data, topic) => { agent.state.got.push({ topic, data }); });
}
async function handleTask(agent, p) {
  try {
    if (p.op === 'got') return agent.state.got;
    if (p.op === 'subscribe') { await agent.subscribe(p.topic, async () => {}); return 'subscribed'; }
    if (p.op === 'publish') { await agent.publish(p.topic, p.data); return 'published'; }
    return 'unknown op';
  } catch (e) {
    return { error: String((e && e.message) || e) };
  }
}`;

type Got = { topic: string; data: unknown }[];
const ask = <T>(payload: unknown) => world.system.ask<T>('door-reader', payload, { timeoutMs: 20_000 });

/** Publishes as a device does, again until the agent has seen it (its subscription reaches the broker asynchronously). */
async function deviceSays(topic: string, payload: string, seen: (g: Got) => boolean): Promise<Got> {
  return until(async () => {
    await device.publishAsync(topic, payload, { qos: 1 });
    return ask<Got>({ op: 'got' });
  }, seen, `the agent to read ${topic}`);
}

beforeAll(async () => {
  world = await startWorld({ externalReads: ['zigbee2mqtt/+'], limits: { maxQueuedMessages: 20 } });
  device = await mqtt.connectAsync(world.broker.url);
  await world.agents.spawner.spawn({ name: 'door-reader', type: 'dynamic', code: READER } as never, { by: 'llm' });
}, 60_000);

afterAll(async () => {
  await device?.endAsync();
  await world?.close();
});

test('an allowed device topic is delivered as the device publishes it, JSON or plain text', async () => {
  const got = await deviceSays('zigbee2mqtt/front_door', JSON.stringify({ contact: false, battery: 90 }), (g) => g.some((m) => m.topic === 'zigbee2mqtt/front_door'));
  expect(got.find((m) => m.topic === 'zigbee2mqtt/front_door')?.data).toEqual({ contact: false, battery: 90 });
  // Not JSON: the text itself, as for any other inbound payload.
  const text = await deviceSays('zigbee2mqtt/plug', '{"broken', (g) => g.some((m) => m.topic === 'zigbee2mqtt/plug'));
  expect(text.find((m) => m.topic === 'zigbee2mqtt/plug')?.data).toBe('{"broken');
});

test('a device topic the owner did not allow, and any publish outside the root, are refused with the reason', async () => {
  const refused = await ask<{ error: string }>({ op: 'subscribe', topic: 'zigbee2mqtt/bridge/state' });
  expect(refused.error).toContain('not allowed in the add-on option mqtt_read_topics (it allows only zigbee2mqtt/+)');
  expect((await ask<{ error: string }>({ op: 'subscribe', topic: 'tasmota/tele/#' })).error).toContain('mqtt_read_topics');
  expect((await ask<{ error: string }>({ op: 'subscribe', topic: '#' })).error).toContain('may not be read');
  const published = await ask<{ error: string }>({ op: 'publish', topic: 'zigbee2mqtt/front_door/set', data: { state: 'OPEN' } });
  expect(published.error).toContain('never publish outside the system root');
});

test('an oversized payload is dropped as malformed before the agent sees it; later messages still arrive', async () => {
  const malformed: string[] = [];
  const off = world.bus.onMalformed((r) => malformed.push(`${r.topic}: ${r.error}`));
  try {
    await device.publishAsync('zigbee2mqtt/huge', Buffer.alloc(EXTERNAL_MAX_PAYLOAD_BYTES + 1, 'x'), { qos: 1 });
    const got = await deviceSays('zigbee2mqtt/after_huge', '1', (g) => g.some((m) => m.topic === 'zigbee2mqtt/after_huge'));
    expect(got.some((m) => m.topic === 'zigbee2mqtt/huge')).toBe(false);
    expect(malformed).toContain(`zigbee2mqtt/huge: ${EXTERNAL_MAX_PAYLOAD_BYTES + 1} bytes, over the ${EXTERNAL_MAX_PAYLOAD_BYTES}-byte limit of topics outside the root`);
  } finally {
    off();
  }
});

test('a flood from a device goes through the agent\'s bounded queue (20 here) and leaves it answering', async () => {
  const before = (await ask<Got>({ op: 'got' })).length;
  await Promise.all(Array.from({ length: 300 }, (_, i) => device.publishAsync('zigbee2mqtt/flood', String(i), { qos: 0 })));
  const got = await deviceSays('zigbee2mqtt/after_flood', '1', (g) => g.some((m) => m.topic === 'zigbee2mqtt/after_flood'));
  expect(got.length - before).toBeLessThanOrEqual(302);
  expect(await ask({ op: 'nothing' })).toBe('unknown op');
});
