import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSpawner, SpawnedAgentInfo } from '../../../server/src/agents/spawner/agent-spawner.ts';
import { TopicRegistry } from '../../../server/src/bus/topic-bus/registry.ts';
import { ServiceError } from '../../../server/src/contract/service-error.ts';
import { AgentLogBuffer } from '../../../server/src/services/agent-logs.ts';
import { createAgentsService } from '../../../server/src/services/agents.ts';
import type { NodeInfo } from '../../../server/src/contract/nodes.ts';
import { NodeDirectory } from '../../../server/src/services/nodes.ts';
import { createTopicsService } from '../../../server/src/services/topics.ts';
import { EchoActor, makeSystem, settle } from '../core/fixtures.ts';

const ctx = { identity: { via: 'local' as const, userId: null, userName: null, displayName: null }, signal: new AbortController().signal };

function fakeSpawner(infos: SpawnedAgentInfo[], onDelete: (name: string) => void): AgentSpawner {
  return {
    list: () => infos,
    delete: async (name) => {
      onDelete(name);
      return true;
    },
    spawn: () => Promise.reject(new Error('not used')),
    restoreAll: () => Promise.resolve({ restored: [], failed: [] }),
    registerType: () => undefined,
  };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

async function setup() {
  const { system, clock, bus } = makeSystem();
  await system.start();
  stops.push(() => system.stop());
  await system.spawn(new EchoActor({ name: 'main', protected: true, kind: 'main' }));
  await system.spawn(new EchoActor({ name: 'energy', kind: 'dynamic' }));
  const deleted: string[] = [];
  const spawner = fakeSpawner([{ id: 'x', name: 'energy', type: 'dynamic', description: 'Tracks energy use', createdAt: new Date().toISOString() }], (n) => deleted.push(n));
  const logs = new AgentLogBuffer(3);
  logs.start(bus);
  const service = createAgentsService({ system, spawner, ledger: undefined, logs });
  return { system, clock, bus, service, deleted, logs };
}

describe('AgentsService', () => {
  it('lists live actors with their registry description, state and metrics', async () => {
    const { service, system } = await setup();
    await system.ask('energy', { echo: 1 });
    const agents = await service.list();
    const energy = agents.find((a) => a.name === 'energy');
    expect(energy).toMatchObject({ type: 'dynamic', state: 'running', node: 'local', description: 'Tracks energy use', cost_usd: 0, messages_processed: 1, errors: 0 });
    expect(agents.find((a) => a.name === 'main')).toMatchObject({ type: 'main', description: '' });
  });

  it('pauses, resumes and stops through the command entry point, and refuses protected actors', async () => {
    const { service } = await setup();
    expect((await service.command('energy', 'pause', ctx))?.state).toBe('paused');
    expect((await service.command('energy', 'resume', ctx))?.state).toBe('running');
    expect(await service.command('ghost', 'stop', ctx)).toBeUndefined();
    await expect(service.command('main', 'stop', ctx)).rejects.toThrow(ServiceError);
    await expect(service.command('main', 'stop', ctx)).rejects.toThrow(/protected/);
    await expect(service.command('energy', 'resume', ctx)).rejects.toThrow(/only a paused actor/);
    expect((await service.command('energy', 'stop', ctx))?.state).toBe('stopped');
  });

  it('deletes spawned agents through the spawner (for good) and refuses protected ones', async () => {
    const { service, deleted } = await setup();
    expect(await service.delete('energy', ctx)).toBe(true);
    expect(deleted).toEqual(['energy']);
    await expect(service.delete('main', ctx)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('keeps the newest log lines per agent, newest first', async () => {
    const { service, system, bus } = await setup();
    const id = system.get('energy')!.id;
    for (const n of [1, 2, 3, 4]) bus.publish('agentLogs', { id }, { type: 'log', message: `line ${n}`, level: 'info', ts: Date.now() });
    await settle();
    const detail = await service.get('energy');
    expect(detail?.recent_logs.map((l) => l.message)).toEqual(['line 4', 'line 3', 'line 2']);
    expect(detail?.protected).toBe(false);
    expect((await service.get('main'))?.protected).toBe(true);
  });

  it('shows a running agent that logs its own failures as having a problem, until it logs fine again', async () => {
    const { service, system, bus } = await setup();
    const id = system.get('energy')!.id;
    const log = async (message: string, level: 'info' | 'warn' | 'error') => {
      bus.publish('agentLogs', { id }, { type: 'log', message, level, ts: Date.now() });
      await settle();
      return (await service.list()).find((a) => a.name === 'energy');
    };
    expect((await service.list()).find((a) => a.name === 'energy')?.problem).toBeNull();
    const warned = await log('weather not updated: cannot resolve api.open-meteo.com', 'warn');
    expect(warned).toMatchObject({ state: 'running', errors: 0, problem: { level: 'warn', message: 'weather not updated: cannot resolve api.open-meteo.com' } });
    expect((await log('fetched 21 °C', 'info'))?.problem).toBeNull();
  });
});

describe('TopicsService', () => {
  it('joins declared contracts and observed samples into topics with publishers and subscribers', async () => {
    const { clock } = await setup();
    const registry = new TopicRegistry(clock);
    registry.declare('temp-sim', { publishes: ['sensors/data'], description: 'Simulated temperature' });
    registry.declare('mean-logger', { subscribes: ['sensors/+'] });
    registry.observe('sensors/data', { temp: 30.5, humidity: 47.7 }, 'temp-sim');
    registry.observe('sensors/data', { temp: 31, humidity: 47 }, 'temp-sim');
    const [topic] = await createTopicsService(registry).list();
    expect(topic).toMatchObject({
      topic: 'sensors/data',
      description: 'Simulated temperature',
      publishers: ['temp-sim'],
      subscribers: ['mean-logger'],
      message_count: 2,
      observed_schema: { type: 'object', properties: { temp: { type: 'number' }, humidity: { type: 'number' } } },
    });
  });
});

describe('NodesService', () => {
  it('shows the local node with its agents, then the remote nodes as agents/nodes verified them', async () => {
    const { system, clock } = await setup();
    const nodes = new NodeDirectory(system, clock);
    const remote: NodeInfo[] = [
      { name: 'rpi-kitchen', online: true, last_seen: new Date(clock.now()).toISOString(), host: 'kitchen', version: '0.1.0', agents: ['cam-watch'] },
      { name: 'rpi-attic', online: false, last_seen: null, host: '192.168.1.21', version: null, agents: [] },
    ];
    nodes.start({ describe: () => remote });
    const list = await nodes.list();
    expect(list[0]).toMatchObject({ name: 'local', online: true });
    expect(list[0]?.agents).toEqual(expect.arrayContaining(['main', 'energy']));
    expect(list.slice(1).map((n) => [n.name, n.online])).toEqual([
      ['rpi-attic', false],
      ['rpi-kitchen', true],
    ]);
    nodes.stop();
    expect((await nodes.list()).map((n) => n.name)).toEqual(['local']);
  });
});

describe('AgentsService fields for the panel', () => {
  it('says which agents are protected and when each started', async () => {
    const { service, clock } = await setup();
    const agents = await service.list();
    expect(agents.find((a) => a.name === 'main')).toMatchObject({ protected: true, started_at: new Date(clock.now()).toISOString() });
    expect(agents.find((a) => a.name === 'energy')).toMatchObject({ protected: false });
  });
});
