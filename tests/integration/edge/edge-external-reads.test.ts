// The server's mqtt_read_topics on a real edge runner: the signed spawn carries the allowed device
// topics outside the root, and the agent on the node reads exactly those (subscribe and window),
// as the device publishes them, with the server's checks: another device topic, the root's
// control topics and any publish outside the root are refused; an oversized payload is dropped; a
// signed spawn whose list reaches the root is refused by the node itself. Without the option, the
// same agent cannot start on the node.
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { sendRemoteTask } from '../../../server/src/agents/main/agents/remote-task.ts';
import type { NodeReport } from '../../../server/src/agents/nodes/edge-nodes.ts';
import { signMessage } from '../../../server/src/agents/nodes/protocol.ts';
import type { SpawnConfig } from '../../../server/src/agents/spawn-config/config-schema.ts';
import { EXTERNAL_MAX_PAYLOAD_BYTES } from '../../../server/src/bus/external-reads.ts';
import { systemClock } from '../../../server/src/core/clock.ts';
import { EdgeWorld, waitFor } from './edge-world.ts';

const READER = `
async function setup(agent) {
  agent.state.got = [];
  agent.state.temps = agent.window('zigbee2mqtt/+/temperature', 600);
  agent.subscribe('zigbee2mqtt/+', async (data, topic) => { agent.state.got.push({ topic, data }); });
}
async function handleTask(agent, p) {
  try {
    if (p.op === 'got') return agent.state.got;
    if (p.op === 'latest') return agent.state.temps.latest('value');
    if (p.op === 'subscribe') { agent.subscribe(p.topic, async () => {}); return 'subscribed'; }
    if (p.op === 'publish') { await agent.publish(p.topic, p.data); return 'published'; }
    return 'unknown op';
  } catch (e) {
    return { error: String((e && e.message) || e) };
  }
}`;

const reader = { type: 'dynamic', name: 'door-reader', node: 'rpi-hall', code: READER, poll_interval: 3600 } as SpawnConfig;
type Got = { topic: string; data: unknown }[];

describe('edge runner: device topics outside the root (mqtt_read_topics)', () => {
  let world: EdgeWorld;
  let device: MqttClient | undefined;
  afterEach(async () => {
    await device?.endAsync();
    device = undefined;
    await world.stop();
  });

  const ask = <T>(payload: unknown) => sendRemoteTask('door-reader', payload, { bus: world.bus, clock: systemClock, timeoutMs: 10_000 }) as Promise<T>;
  /** Publishes as a device does, again until the agent on the node has seen it (its subscription reaches the broker asynchronously). */
  const deviceSays = (topic: string, payload: string | Buffer, seen: (g: Got) => boolean) =>
    waitFor(async () => {
      await device!.publishAsync(topic, payload, { qos: 1 });
      const got = await ask<Got>({ op: 'got' });
      return seen(got) && got;
    }, `the agent on the node to read ${topic}`);

  it('reads exactly the allowed filters, never publishes there, and drops oversized payloads', async () => {
    world = await new EdgeWorld({ externalReads: ['zigbee2mqtt/#'] }).start();
    await world.startEdge('rpi-hall');
    device = await mqtt.connectAsync(world.broker.url);
    await world.agents.spawner.spawn(reader, { by: 'user' });
    const spawn = world.messagesOn('wactorz/nodes/rpi-hall/spawn')[0];
    expect(spawn).toMatchObject({ name: 'door-reader', external_reads: ['zigbee2mqtt/#'] });

    const got = await deviceSays('zigbee2mqtt/front_door', JSON.stringify({ contact: false }), (g) => g.some((m) => m.topic === 'zigbee2mqtt/front_door'));
    expect(got.find((m) => m.topic === 'zigbee2mqtt/front_door')?.data).toEqual({ contact: false });
    // A window on an allowed filter fills the same way.
    await waitFor(async () => {
      await device!.publishAsync('zigbee2mqtt/hall/temperature', JSON.stringify({ value: 19.5 }), { qos: 1 });
      return (await ask<number | null>({ op: 'latest' })) === 19.5;
    }, 'the window on the node');

    const refused = await ask<{ error: string }>({ op: 'subscribe', topic: 'tasmota/tele/#' });
    expect(refused.error).toContain('not allowed in the add-on option mqtt_read_topics (it allows only zigbee2mqtt/#)');
    expect((await ask<{ error: string }>({ op: 'subscribe', topic: 'nodes/#' })).error).toContain("system's control traffic");
    const published = await ask<{ error: string }>({ op: 'publish', topic: 'zigbee2mqtt/front_door/set', data: { state: 'OPEN' } });
    expect(published.error).toContain('never publish outside the system root');
    expect(world.seen.some((m) => m.topic.includes('front_door/set'))).toBe(false);

    await device.publishAsync('zigbee2mqtt/huge', Buffer.alloc(EXTERNAL_MAX_PAYLOAD_BYTES + 1, 'x'), { qos: 1 });
    const after = await deviceSays('zigbee2mqtt/after_huge', '1', (g) => g.some((m) => m.topic === 'zigbee2mqtt/after_huge'));
    expect(after.some((m) => m.topic === 'zigbee2mqtt/huge')).toBe(false);
  });

  it('keeps the allowed filters across a restart of the runner', async () => {
    world = await new EdgeWorld({ externalReads: ['zigbee2mqtt/#'] }).start();
    const edge = await world.startEdge('rpi-hall');
    device = await mqtt.connectAsync(world.broker.url);
    await world.agents.spawner.spawn(reader, { by: 'user' });
    await world.restartEdge(edge);
    await waitFor(() => world.nodes.online('rpi-hall'), 'the restarted node');
    const got = await deviceSays('zigbee2mqtt/front_door', '{"contact":true}', (g) => g.some((m) => m.topic === 'zigbee2mqtt/front_door'));
    expect(got.find((m) => m.topic === 'zigbee2mqtt/front_door')?.data).toEqual({ contact: true });
  });

  it('without the option the agent cannot read device topics on the node, and a signed list reaching the root is refused', async () => {
    world = await new EdgeWorld().start();
    await world.startEdge('rpi-hall');
    await expect(world.agents.spawner.spawn(reader, { by: 'user' })).rejects.toThrow(/mqtt_read_topics \(it allows none\)/);

    // Signed with the node's own secret, yet the node checks the filters as the server's bus does.
    const reports: NodeReport[] = [];
    world.nodes.onReport((r) => reports.push(r));
    const secret = world.secrets.secretOf('rpi-hall')!;
    const body = { name: 'sneaky', request_id: 's1', config: { type: 'dynamic', name: 'sneaky', code: 'async function setup(agent) {}' }, external_reads: ['wactorz/#'] };
    const client = await mqtt.connectAsync(world.broker.url);
    await client.publishAsync('wactorz/nodes/rpi-hall/spawn', JSON.stringify(signMessage(secret, 'rpi-hall', 'spawn', body, Date.now())), { qos: 1 });
    await client.endAsync();
    const report = await waitFor(() => reports.find((r) => r.result.request_id === 's1'), 'the refusal');
    expect(report.result).toMatchObject({ ok: false, name: 'sneaky' });
    expect(report.result.error).toContain("\"wactorz/#\": overlaps Wactorz's own topics under wactorz/");
    expect(await world.nodes.list('rpi-hall')).toEqual([]);
  });
});
