// Issue 12, finding 7, replayed with a real Mosquitto, a real edge runner process and a plain MQTT
// client as the attacker (anyone with the broker's credentials, which every device in the home
// has). The attacker records a signed stop off the broker; the runner restarts (its in-memory
// nonces used to go with it); the stop is replayed well within the 60 s age limit. It must be
// refused with a clear log line on the Pi, and the agent keeps running.
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeReport } from '../../server/src/agents/nodes/edge-nodes.ts';
import type { SpawnConfig } from '../../server/src/agents/spawn-config/config-schema.ts';
import { sendRemoteTask } from '../../server/src/agents/main/agents/remote-task.ts';
import { systemClock } from '../../server/src/core/clock.ts';
import { EdgeWorld, waitFor } from '../integration/edge/edge-world.ts';

const SENSOR = `
async function setup(agent) {}
async function handleTask(agent, payload) { return { alive: true, echo: payload }; }`;
const config = { type: 'dynamic', name: 'temp-sensor', node: 'rpi-kitchen', code: SENSOR, poll_interval: 3600 } as SpawnConfig;

describe('finding 7: a signed command replayed after the edge runner restarts', () => {
  let world: EdgeWorld;
  let attacker: mqtt.MqttClient;
  const captured: { topic: string; payload: Buffer }[] = [];
  beforeEach(async () => {
    world = await new EdgeWorld({ broker: 'mosquitto' }).start();
    attacker = await mqtt.connectAsync(world.broker.url, { clientId: 'smart-plug-gone-bad' });
    attacker.on('message', (topic, payload) => captured.push({ topic, payload }));
    await attacker.subscribeAsync('wactorz/nodes/+/stop');
  });
  afterEach(async () => {
    captured.length = 0;
    await attacker.endAsync();
    await world.stop();
  });

  it('refuses a stop captured before the restart, says so in the runner log, and the agent keeps running', async () => {
    const edge = await world.startEdge('rpi-kitchen');
    // The user stops an agent (the attacker records that stop), then starts it again.
    await world.agents.spawner.spawn(config, { by: 'user' });
    expect(await world.agents.spawner.delete('temp-sensor')).toBe(true);
    await waitFor(() => captured.length > 0, 'the attacker to record the signed stop');
    await world.agents.spawner.spawn(config, { by: 'user' });
    expect(await world.nodes.list('rpi-kitchen')).toEqual([{ name: 'temp-sensor', status: 'running' }]);

    const restarted = await world.restartEdge(edge);
    expect(restarted.output()).toContain('restored temp-sensor');
    const reports: NodeReport[] = [];
    world.nodes.onReport((r) => reports.push(r));

    const stop = captured[0];
    if (!stop) throw new Error('no stop was captured');
    const recorded = JSON.parse(stop.payload.toString()) as { name?: unknown; sig?: unknown };
    expect([recorded.name, typeof recorded.sig]).toEqual(['temp-sensor', 'string']);
    await attacker.publishAsync(stop.topic, stop.payload, { qos: 1 });

    await waitFor(() => reports.find((r) => r.result.command === 'stop'), 'the runner to refuse the replayed stop');
    expect(reports.map((r) => [r.node, r.result.ok, r.result.error])).toEqual([['rpi-kitchen', false, 'command refused by node rpi-kitchen: replayed (nonce already used)']]);
    expect(restarted.output()).toContain('edge rpi-kitchen: refused a stop command for temp-sensor: replayed (nonce already used)');
    // Nothing was done: the agent runs and answers.
    expect(await world.nodes.list('rpi-kitchen')).toEqual([{ name: 'temp-sensor', status: 'running' }]);
    expect(await sendRemoteTask('temp-sensor', { q: 1 }, { bus: world.bus, clock: systemClock, timeoutMs: 10_000 })).toEqual({ alive: true, echo: { q: 1 } });
    expect(world.agents.spawner.list()).toEqual([expect.objectContaining({ name: 'temp-sensor', node: 'rpi-kitchen' })]);
  });

  it('still obeys fresh commands from the server after the restart', async () => {
    const edge = await world.startEdge('rpi-kitchen');
    await world.agents.spawner.spawn(config, { by: 'user' });
    await world.restartEdge(edge);
    expect(await world.nodes.list('rpi-kitchen')).toEqual([{ name: 'temp-sensor', status: 'running' }]);
    expect(await world.agents.spawner.delete('temp-sensor')).toBe(true);
    expect(await world.nodes.list('rpi-kitchen')).toEqual([]);
  });
});
