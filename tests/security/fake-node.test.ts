// Issue 12: a plain MQTT client (any device with the broker's credentials) could make a node
// appear in /api/nodes, or keep one "online", by publishing on wactorz/nodes/{name}/heartbeat.
// Replayed with a real Mosquitto, the attacker as a plain `mqtt` client and a real edge runner:
// forged heartbeats (for a node that does not exist, and for deployed nodes with a bad or no
// signature) must neither create nor refresh a node in the node list the API serves
// (NodeDirectory over EdgeNodes), while the real runner's signed heartbeats keep it online.
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signMessage } from '../../server/src/agents/nodes/protocol.ts';
import type { SpawnConfig } from '../../server/src/agents/spawn-config/config-schema.ts';
import { EdgeWorld, waitFor } from '../integration/edge/edge-world.ts';

const config = { type: 'dynamic', name: 'temp-sensor', node: 'rpi-kitchen', code: 'async function setup(agent) {}', poll_interval: 3600 } as SpawnConfig;

describe('a fake node made of forged heartbeats', () => {
  let world: EdgeWorld;
  let attacker: mqtt.MqttClient;
  /** Heartbeats as the server's own connection received them (EdgeNodes subscribed before, so it has handled each one by then). */
  const delivered: string[] = [];
  beforeEach(async () => {
    world = await new EdgeWorld({ broker: 'mosquitto' }).start();
    world.bus.subscribeRaw('wactorz/nodes/+/heartbeat', (_t, p) => void delivered.push(p.toString()));
    attacker = await mqtt.connectAsync(world.broker.url, { clientId: 'cheap-bulb' });
  });
  afterEach(async () => {
    delivered.length = 0;
    await attacker.endAsync();
    await world.stop();
  });

  async function forge(node: string, body: object): Promise<void> {
    const payload = JSON.stringify(body);
    await attacker.publishAsync(`wactorz/nodes/${node}/heartbeat`, payload, { qos: 1 });
    await waitFor(() => delivered.includes(payload), `the server to receive the forged heartbeat for ${node}`);
  }

  it('never lists a node that was not deployed, signed or not', async () => {
    const now = Date.now();
    await forge('rpi-fake', { node: 'rpi-fake', host: 'fake', version: '9.9.9', agents: ['door-opener'], ts: now });
    await forge('rpi-fake', signMessage('a-secret-the-attacker-made-up', 'rpi-fake', 'heartbeat', { node: 'rpi-fake', agents: ['door-opener'] }, now));

    expect((await world.directory.list()).map((n) => n.name)).toEqual(['local']);
    expect(world.nodes.online('rpi-fake')).toBe(false);
    await expect(world.agents.spawner.spawn({ ...config, node: 'rpi-fake' }, { by: 'llm' })).rejects.toThrow(/no node named "rpi-fake"|not connected right now/);
    expect(world.warnings[0]).toEqual({ obj: { node: 'rpi-fake', reason: 'no node of that name was deployed from this Wactorz' }, msg: 'dropped a node heartbeat that is not signed by a deployed node' });
    // A flood is one line per 10 s window with a count (tests/unit/agents/nodes), not one per heartbeat.
    for (let i = 0; i < 20; i++) await forge('rpi-fake', { node: 'rpi-fake', agents: [], ts: now + i });
    expect(world.warnings.filter((w) => w.msg.startsWith('dropped a node heartbeat')).length).toBeLessThan(5);
  });

  it('does not bring a deployed but silent node online, nor refresh a live one, with a bad or missing signature', async () => {
    const edge = await world.startEdge('rpi-kitchen');
    world.secrets.ensure('rpi-attic', { host: '192.168.1.30' });
    const kitchenBefore = (await world.directory.list()).find((n) => n.name === 'rpi-kitchen');
    expect(kitchenBefore).toMatchObject({ online: true, version: '0.1.0', agents: [] });

    const now = Date.now();
    const lie = { host: 'attacker', version: '6.6.6', agents: ['door-opener'] };
    await forge('rpi-attic', { node: 'rpi-attic', ...lie, ts: now });
    await forge('rpi-attic', signMessage('wrong-secret', 'rpi-attic', 'heartbeat', { node: 'rpi-attic', ...lie }, now));
    await forge('rpi-kitchen', signMessage('wrong-secret', 'rpi-kitchen', 'heartbeat', { node: 'rpi-kitchen', ...lie }, now));
    await forge('rpi-kitchen', { node: 'rpi-kitchen', ...lie, ts: now });
    // A genuine kitchen heartbeat re-published on the attic's topic: the signature covers the node name.
    const genuine = delivered.find((p) => p.includes('"node":"rpi-kitchen"') && p.includes('"sig"'));
    expect(genuine).toBeDefined();
    await attacker.publishAsync('wactorz/nodes/rpi-attic/heartbeat', genuine!, { qos: 1 });
    await waitFor(() => delivered.filter((p) => p === genuine).length >= 2, 'the server to receive the moved heartbeat');

    const list = await world.directory.list();
    expect(list.find((n) => n.name === 'rpi-attic')).toEqual({ name: 'rpi-attic', online: false, last_seen: null, host: '192.168.1.30', version: null, agents: [], supervision: null, undeployed_at: null });
    // Still what the real runner said (its own periodic heartbeat may have refreshed last_seen meanwhile).
    expect(list.find((n) => n.name === 'rpi-kitchen')).toMatchObject({ online: true, host: kitchenBefore!.host, version: '0.1.0', agents: [] });
    expect(world.nodes.online('rpi-attic')).toBe(false);
    await expect(world.nodes.list('rpi-attic')).rejects.toThrow(/node "rpi-attic" (is offline|runs an edge runner from before signed heartbeats)/);

    // The legitimate path: the real runner's signed heartbeat (sent at once after a spawn) refreshes it.
    await world.agents.spawner.spawn(config, { by: 'user' });
    const kitchen = await waitFor(async () => (await world.directory.list()).find((n) => n.name === 'rpi-kitchen' && n.agents.includes('temp-sensor')), 'the runner heartbeat listing its agent');
    expect(kitchen).toMatchObject({ online: true, version: '0.1.0' });
    expect(Date.parse(kitchen.last_seen!)).toBeGreaterThanOrEqual(Date.parse(kitchenBefore!.last_seen!));
    expect(edge.output()).not.toContain(world.secrets.secretOf('rpi-kitchen'));
  });
});
