// Real edge runner processes against aedes, commanded by the server's EdgeNodes through the
// spawner: signed spawn, an agent that publishes and persists on the Pi, heartbeats in the
// NodeDirectory, stop, migration with its state, and forged commands refused and reported.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { SpawnConfig } from '../../../server/src/agents/spawn-config/config-schema.ts';
import { NonceCache, signMessage, verifyMessage } from '../../../server/src/agents/nodes/protocol.ts';
import type { NodeReport } from '../../../server/src/agents/nodes/edge-nodes.ts';
import { sendRemoteTask } from '../../../server/src/agents/main/agents/remote-task.ts';
import { systemClock } from '../../../server/src/core/clock.ts';
import { EdgeWorld, waitFor } from './edge-world.ts';

const SENSOR = `
async function setup(agent) {
  const boots = agent.recall('boots', 0) + 1;
  agent.persist('boots', boots);
  await agent.publish('custom/edge/temperature', { value: 21.5, boots });
}
async function handleTask(agent, payload) {
  if (payload && payload.ask === 'llm') {
    try { await agent.llm.chat('hi'); return 'no refusal'; } catch (e) { return String(e.message); }
  }
  if (payload && payload.ask === 'ha') {
    try { await agent.ha.getState('light.kitchen'); return 'no refusal'; } catch (e) { return String(e.message); }
  }
  return { boots: agent.recall('boots', 0), echo: payload };
}`;

const config = (extra: Record<string, unknown> = {}) => ({ type: 'dynamic' as const, name: 'temp-sensor', node: 'rpi-kitchen', description: 'kitchen temperature', code: SENSOR, poll_interval: 3600, ...extra }) as SpawnConfig;

describe('edge runner', () => {
  let world: EdgeWorld;
  beforeEach(async () => {
    world = await new EdgeWorld().start();
  });
  afterEach(async () => {
    await world.stop();
  });

  it('runs a signed spawn from the spawner, publishes, answers tasks, shows in /nodes and stops', async () => {
    await world.startEdge('rpi-kitchen');
    const outcome = await world.agents.spawner.spawn(config(), { by: 'user' });
    expect(outcome).toMatchObject({ status: 'spawned', id: 'temp-sensor', node: 'rpi-kitchen' });

    const published = await waitFor(() => world.messagesOn('wactorz/custom/edge/temperature')[0], 'the agent publish');
    expect(published).toEqual({ value: 21.5, boots: 1 });
    expect(world.agents.spawner.list()).toEqual([expect.objectContaining({ name: 'temp-sensor', node: 'rpi-kitchen' })]);

    // The node heartbeat lists the agent; NodeDirectory (the API's /nodes) shows it online.
    const node = await waitFor(async () => (await world.directory.list()).find((n) => n.name === 'rpi-kitchen' && n.agents.includes('temp-sensor')), 'the node heartbeat');
    expect(node).toMatchObject({ online: true, version: '0.1.0' });
    const beat = await waitFor(() => world.messagesOn('wactorz/agents/temp-sensor/heartbeat')[0], 'agent heartbeat');
    expect(beat).toMatchObject({ id: 'temp-sensor', state: 'running', node: 'rpi-kitchen' });

    // A task round trip over agents/by-name/{name}/task, as main sends it.
    const answer = await sendRemoteTask('temp-sensor', { q: 1 }, { bus: world.bus, clock: systemClock, timeoutMs: 10_000 });
    expect(answer).toEqual({ boots: 1, echo: { q: 1 } });
    const llm = await sendRemoteTask('temp-sensor', { ask: 'llm' }, { bus: world.bus, clock: systemClock, timeoutMs: 10_000 });
    expect(llm).toMatch(/not available on a remote node.*sendTo\("main"/);
    const ha = await sendRemoteTask('temp-sensor', { ask: 'ha' }, { bus: world.bus, clock: systemClock, timeoutMs: 10_000 });
    expect(ha).toMatch(/no Home Assistant connection on the edge/);

    expect(await world.nodes.list('rpi-kitchen')).toEqual([{ name: 'temp-sensor', status: 'running' }]);
    expect(await world.agents.spawner.delete('temp-sensor')).toBe(true);
    expect(await world.nodes.list('rpi-kitchen')).toEqual([]);
    expect(world.agents.spawner.list()).toEqual([]);
  });

  it('migrates an agent between two edge runners with its persisted state, and the registry follows', async () => {
    await world.startEdge('rpi-kitchen');
    await world.startEdge('rpi-bedroom');
    await world.agents.spawner.spawn(config(), { by: 'user' });
    await waitFor(() => world.messagesOn('wactorz/custom/edge/temperature').length === 1, 'first boot');

    expect(await world.nodes.migrate('temp-sensor', 'rpi-bedroom')).toBe('Moved temp-sensor from rpi-kitchen to rpi-bedroom.');
    expect(await world.nodes.list('rpi-kitchen')).toEqual([]);
    expect(await world.nodes.list('rpi-bedroom')).toEqual([{ name: 'temp-sensor', status: 'running' }]);
    // The persisted counter came along: the second boot (on the bedroom Pi) counts 2.
    const second = await waitFor(() => world.messagesOn('wactorz/custom/edge/temperature')[1], 'boot on the target');
    expect(second).toEqual({ value: 21.5, boots: 2 });
    // Restore targets the new node.
    expect(world.agents.spawner.list()).toEqual([expect.objectContaining({ name: 'temp-sensor', node: 'rpi-bedroom' })]);
    const migrated = await waitFor(() => world.messagesOn('wactorz/nodes/rpi-kitchen/migrate_result')[0], 'migrate_result');
    expect(migrated).toMatchObject({ name: 'temp-sensor', target: 'rpi-bedroom', ok: true });
    // Signed as a migrate_result of its own: it cannot pass for a command's answer or a heartbeat.
    const verify = (command: 'migrate_result' | 'result') => verifyMessage(migrated, { secret: world.secrets.secretOf('rpi-kitchen')!, node: 'rpi-kitchen', command, now: Date.now(), nonces: new NonceCache() }).ok;
    expect([verify('migrate_result'), verify('result')]).toEqual([true, false]);

    await expect(world.nodes.migrate('temp-sensor', 'rpi-bedroom')).rejects.toThrow('temp-sensor already runs on rpi-bedroom');
    await expect(world.nodes.migrate('temp-sensor', 'rpi-garage')).rejects.toThrow('no node named "rpi-garage" has been deployed from this Wactorz; run /deploy rpi-garage first');
  });

  it('migrates an agent from an edge runner to the local node and back with its persisted state', async () => {
    await world.startEdge('rpi-kitchen');
    await world.agents.spawner.spawn(config(), { by: 'user' });
    await waitFor(() => world.messagesOn('wactorz/custom/edge/temperature').length === 1, 'first boot');

    expect(await world.nodes.migrate('temp-sensor', 'local')).toBe('Moved temp-sensor from rpi-kitchen to local.');
    expect(await world.nodes.list('rpi-kitchen')).toEqual([]);
    // The keys the Pi handed back are the local agent's: its setup counted the second boot.
    expect(await world.system.ask('temp-sensor', { q: 1 })).toEqual({ boots: 2, echo: { q: 1 } });

    expect(await world.nodes.migrate('temp-sensor', 'rpi-kitchen')).toBe('Moved temp-sensor from local to rpi-kitchen.');
    // The local keys went back to the Pi: its boot counts 3.
    const third = await waitFor(() => world.messagesOn('wactorz/custom/edge/temperature')[2], 'boot back on the Pi');
    expect(third).toEqual({ value: 21.5, boots: 3 });
    expect(world.agents.spawner.list()).toEqual([expect.objectContaining({ name: 'temp-sensor', node: 'rpi-kitchen' })]);
  });

  it('refuses and reports unsigned, forged and replayed spawns; runs nothing for them', async () => {
    const edge = await world.startEdge('rpi-kitchen');
    const reports: NodeReport[] = [];
    world.nodes.onReport((r) => reports.push(r));
    const attacker = await mqtt.connectAsync(world.broker.url);
    const evil = { name: 'evil', request_id: 'x1', config: { type: 'dynamic', name: 'evil', code: 'async function setup(agent) { await agent.publish("custom/pwned", 1); }' } };
    await attacker.publishAsync('wactorz/nodes/rpi-kitchen/spawn', JSON.stringify(evil), { qos: 1 });
    await attacker.publishAsync('wactorz/nodes/rpi-kitchen/spawn', JSON.stringify(signMessage('a-guessed-secret-that-is-wrong', 'rpi-kitchen', 'spawn', { ...evil, request_id: 'x2' }, Date.now())), { qos: 1 });
    await waitFor(() => reports.length >= 2, 'two refusals');
    expect(reports.map((r) => [r.result.request_id, r.result.ok, r.result.error])).toEqual([
      ['x1', false, 'command refused by node rpi-kitchen: unsigned (no sig, ts or nonce)'],
      ['x2', false, 'command refused by node rpi-kitchen: bad signature'],
    ]);

    // A genuine signed spawn captured off the broker and replayed is refused as a replay.
    await world.agents.spawner.spawn(config(), { by: 'user' });
    const captured = world.seen.find((m) => m.topic === 'wactorz/nodes/rpi-kitchen/spawn' && m.payload.includes('"temp-sensor"'));
    expect(captured).toBeDefined();
    await attacker.publishAsync('wactorz/nodes/rpi-kitchen/spawn', captured!.payload, { qos: 1 });
    await waitFor(() => reports.length >= 3, 'the replay refusal');
    expect(reports[2]?.result.error).toBe('command refused by node rpi-kitchen: replayed (nonce already used)');
    await attacker.endAsync();

    expect(await world.nodes.list('rpi-kitchen')).toEqual([{ name: 'temp-sensor', status: 'running' }]);
    expect(world.seen.some((m) => m.topic === 'wactorz/custom/pwned')).toBe(false);
    expect(edge.output()).toContain('refused a spawn command for evil: bad signature');
    expect(edge.output()).not.toContain(world.secrets.secretOf('rpi-kitchen'));
  });

  it('gives a clear error for an unknown node and for a deployed node that is offline', async () => {
    await expect(world.agents.spawner.spawn(config({ node: 'rpi-nowhere' }), { by: 'user' })).rejects.toThrow(/not connected right now|no node named "rpi-nowhere"/);
    world.secrets.ensure('rpi-attic');
    await expect(world.agents.spawner.spawn(config({ node: 'rpi-attic' }), { by: 'user' })).rejects.toThrow('node "rpi-attic" is offline (no heartbeat since Wactorz started)');
    expect(world.agents.spawner.list()).toEqual([]);
  });
});
