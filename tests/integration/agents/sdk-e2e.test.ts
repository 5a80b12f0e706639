// Every agent SDK method end to end: agents spawned through the spawner run in real isolates on
// the real kernel, talk over an aedes broker through the one MqttBus, reach the demo home through
// the real HA client and the LLM service through a fake Anthropic server.
import { createServer, type Server } from 'node:http';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isTaskFailed } from '../../../server/src/agents/dynamic/agent-task.ts';
import { eventually, startWorld, until, type AgentWorld } from '../../helpers/agent-world.ts';
import { reply } from '../../helpers/fake-llm/index.ts';

let world: AgentWorld;
let server: Server;
let serverUrl = '';

const PRODUCER = `
async function setup(agent) {
  agent.declareContract({ publishes: ['custom/readings'], produces_schema: { temp: 'number' } });
}
async function handleTask(agent, payload) {
  if (payload.back) return await agent.delegate('consumer', { op: 'got' });
  await agent.publish('custom/readings', { temp: payload.temp, room: 'kitchen' });
  return 'sent ' + payload.temp;
}`;

const CONSUMER = `
async function setup(agent) {
  agent.state.got = [];
  agent.subscribe('custom/+', async (data, topic) => {
    agent.state.got.push({ topic, temp: data.temp });
    agent.persist('last', data.temp);
  });
  agent.state.w = agent.window('custom/readings', 60);
}
async function handleTask(agent, p) {
  try {
    switch (p.op) {
      case 'got': return agent.state.got;
      case 'window': {
        const w = agent.state.w;
        return { mean: w.mean('temp'), min: w.min('temp'), max: w.max('temp'), count: w.count(), latest: w.latest('temp'),
          values: w.values('temp'), rising: w.rising({ threshold: 1, field: 'temp' }), falling: w.falling({ field: 'temp' }),
          stable: w.stable({ tolerance: 100, field: 'temp' }), absent: w.absent_for(30), events: w.event_count(60) };
      }
      case 'recall': return agent.recall('last', null);
      case 'delegate': return await agent.delegate('producer', { temp: p.temp });
      case 'back': return await agent.sendTo('producer', { back: true });
      case 'many': return await agent.sendToMany([['producer', { temp: 7 }], ['nobody-here', {}]]);
      case 'agents': return agent.agents().map((a) => a.name + ':' + a.type + ':' + a.status);
      case 'llm': return await agent.llm.chat(p.prompt, { system: 'be brief' });
      case 'ha-get': return await agent.ha.getState(p.id);
      case 'ha-call': return await agent.ha.callService(p.domain, p.service, p.data);
      case 'notify': await agent.notify(p.message, { title: 'Home' }); return 'notified';
      case 'log': await agent.log('hello log'); await agent.alert('door left open', 'critical'); return 'logged';
      case 'fetch': { const r = await agent.http.fetch(p.url); return { status: r.status, body: await r.json() }; }
      case 'publish': await agent.publish(p.topic, p.data); return 'published';
      case 'state': agent.state.n = (agent.state.n || 0) + 1; return agent.state.n;
    }
    return 'unknown op';
  } catch (e) {
    return { error: String(e && e.message || e) };
  }
}`;

async function ask<T = unknown>(agent: string, payload: unknown): Promise<T> {
  return world.system.ask<T>(agent, payload, { timeoutMs: 20_000 });
}

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ temperature: 18.5, city: 'Athens' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/weather`;
  world = await startWorld({ allowAddresses: ['127.0.0.1'] });
  const spawner = world.agents.spawner;
  await spawner.spawn({ name: 'producer', type: 'dynamic', code: PRODUCER, description: 'publishes readings' } as never, { by: 'llm' });
  await spawner.spawn({ name: 'consumer', type: 'dynamic', code: CONSUMER, subscribes: ['custom/+'] } as never, { by: 'llm' });
});

afterAll(async () => {
  await world.close();
  await new Promise((r) => server.close(r));
});

test('publish from one agent reaches the other agent\'s subscription, rooted under the system root', async () => {
  expect(await ask('producer', { temp: 20 })).toBe('sent 20');
  await eventually(() => world.on('custom/readings').length === 1, 'the reading on the broker');
  expect(world.seen.some((s) => s.topic === 'wactorz/custom/readings')).toBe(true);
  const got = await until(() => ask<{ topic: string; temp: number }[]>('consumer', { op: 'got' }), (g) => g.length === 1, 'the consumer got it');
  expect(got).toEqual([{ topic: 'custom/readings', temp: 20 }]);
  expect(await ask('consumer', { op: 'recall' })).toBe(20);
  expect(world.system.store.get('consumer', 'last')).toBe(20);
});

test('delegate and sendToMany ask other agents through the actor system; a call back into a waiting agent is refused', async () => {
  expect(await ask('consumer', { op: 'delegate', temp: 23 })).toBe('sent 23');
  const many = await ask<{ agent: string; ok: boolean; result?: unknown; error?: string }[]>('consumer', { op: 'many' });
  expect(many[0]).toEqual({ agent: 'producer', ok: true, result: 'sent 7' });
  expect(many[1]).toMatchObject({ agent: 'nobody-here', ok: false, error: expect.stringContaining('no agent named "nobody-here"') as unknown });
  const back = await ask<{ error: string }>('consumer', { op: 'back' });
  expect(back.error).toContain('"consumer" is waiting for this agent\'s answer (consumer -> producer); asking it back would deadlock');
});

test('window is fed by the shared bus and answers every query', async () => {
  await eventually(() => world.on('custom/readings').length >= 3, 'three readings');
  const w = await until(() => ask<Record<string, unknown>>('consumer', { op: 'window' }), (x) => x.count === 3, 'window count 3');
  expect(w).toEqual({ mean: (20 + 23 + 7) / 3, min: 7, max: 23, count: 3, latest: 7, values: [20, 23, 7], rising: false, falling: true, stable: true, absent: false, events: 3 });
  await world.clock.advance(31_000);
  const later = await ask<Record<string, unknown>>('consumer', { op: 'window' });
  expect(later.absent).toBe(true);
  await world.clock.advance(30_000);
  expect((await ask<Record<string, unknown>>('consumer', { op: 'window' })).count).toBe(0);
});

test('declared contract and observed sample are in the retained manifest', async () => {
  const client = await mqtt.connectAsync(world.broker.url);
  const manifests: Record<string, unknown>[] = [];
  client.on('message', (_t, payload, packet) => {
    if (packet.retain) manifests.push(JSON.parse(payload.toString()) as Record<string, unknown>);
  });
  await client.subscribeAsync('wactorz/agents/producer/manifest');
  await eventually(() => manifests.length > 0, 'the retained manifest');
  await client.endAsync();
  expect(manifests[0]).toMatchObject({
    name: 'producer',
    id: 'producer',
    type: 'dynamic',
    description: 'publishes readings',
    contract: { publishes: ['custom/readings'], produces_schema: { temp: 'number' } },
    // Re-published when the shape changes, not on every publish: the example is the first one.
    observed_samples: { 'custom/readings': { fields: { temp: 'number', room: 'string' }, example: { temp: 20, room: 'kitchen' } } },
  });
  expect(world.topicBus.registry.get('producer')?.observed_samples['custom/readings']).toMatchObject({ count: 3, example: { temp: 7, room: 'kitchen' } });
  expect(world.topicBus.registry.wiring()).toContainEqual({ producer: 'producer', consumer: 'consumer', topic: 'custom/readings', via: 'custom/+' });
});

test('llm.chat goes through the LLM service, ledgered to the agent', async () => {
  world.fake.enqueue(reply.text('All quiet.', { usage: { input: 100, output: 20 } }));
  expect(await ask('consumer', { op: 'llm', prompt: 'Anything new?' })).toBe('All quiet.');
  const body = world.fake.lastRequest().body as { system?: string; messages: { role: string; content: unknown }[] };
  expect(body.system).toBe('be brief');
  expect(JSON.stringify(body.messages)).toContain('Anything new?');
  const report = world.llm.ledger.report({ period: 'all', groupBy: 'agent' });
  expect(report.groups.find((g) => g.key === 'consumer')).toMatchObject({ calls: 1 });
  expect(world.llm.ledger.report({ period: 'all', callSite: 'agent', agent: 'consumer' }).totals.calls).toBe(1);
});

test('ha.getState and ha.callService reach the demo home; a lock is refused without a user grant', async () => {
  const state = await ask<{ entity_id: string; state: string; attributes: Record<string, unknown> }>('consumer', { op: 'ha-get', id: 'sensor.living_room_temperature' });
  expect(state).toMatchObject({ entity_id: 'sensor.living_room_temperature', state: '21.5', attributes: { unit_of_measurement: '°C' } });
  expect(await ask('consumer', { op: 'ha-get', id: 'sensor.nothing_here' })).toBeNull();

  expect(await ask('consumer', { op: 'ha-call', domain: 'light', service: 'turn_on', data: { entity_id: 'light.kitchen' } })).toMatchObject({ ok: true });
  expect(world.home.serviceCalls().some((c) => c.domain === 'light' && c.service === 'turn_on')).toBe(true);
  await eventually(() => world.ha.getState('light.kitchen')?.state === 'on', 'the kitchen light on');
  await eventually(() => world.on('agents/consumer/actuations').length === 1, 'the actuation event');
  expect(world.on('agents/consumer/actuations')[0]?.payload).toMatchObject({ service: 'light.turn_on', entity_id: 'light.kitchen', agent: 'consumer' });

  const before = world.home.serviceCalls().length;
  const refused = await ask<{ error: string }>('consumer', { op: 'ha-call', domain: 'lock', service: 'unlock', data: { entity_id: 'lock.front_door' } });
  expect(refused.error).toContain('lock.unlock on lock.front_door was refused');
  const garage = await ask<{ error: string }>('consumer', { op: 'ha-call', domain: 'homeassistant', service: 'turn_on', data: { entity_id: 'cover.garage_door' } });
  expect(garage.error).toContain('cover.garage_door was refused');
  expect(world.home.serviceCalls().length).toBe(before);
  expect(world.ha.getState('lock.front_door')?.state).toBe('locked');
});

test('an agent granted ha:sensitive:lock.front_door by the user may unlock that lock', async () => {
  await world.agents.spawner.spawn({ name: 'door-keeper', type: 'dynamic', code: 'async function handleTask(agent, p) { return await agent.ha.callService("lock", p.service, { entity_id: "lock.front_door" }); }' } as never, { by: 'user', grants: ['ha:sensitive:lock.front_door'] });
  expect(await ask('door-keeper', { service: 'unlock' })).toMatchObject({ ok: true });
  await eventually(() => world.ha.getState('lock.front_door')?.state === 'unlocked', 'the lock unlocked');
  await expect(world.agents.spawner.spawn({ name: 'sneaky', type: 'dynamic', code: 'async function setup(agent) {}' } as never, { by: 'llm', grants: ['ha:sensitive'] } as never)).rejects.toThrow('only the user can grant');
  expect(world.system.get('sneaky')).toBeUndefined();
});

test('notify goes to the phone through HA; log and alert reach agents/{id}/logs and /alert', async () => {
  expect(await ask('consumer', { op: 'notify', message: 'Washing machine done' })).toBe('notified');
  expect(world.home.notifications().at(-1)).toMatchObject({ service: 'notify.mobile_app_phone', message: 'Washing machine done', title: 'Home' });
  expect(await ask('consumer', { op: 'log' })).toBe('logged');
  await eventually(() => world.on('agents/consumer/alert').length === 1, 'the alert');
  expect(world.on('agents/consumer/logs').map((s) => (s.payload as { message: string }).message)).toContain('hello log');
  expect(world.on('agents/consumer/alert')[0]?.payload).toMatchObject({ message: 'door left open', severity: 'critical' });
});

test('http.fetch reaches a server the policy allows, and not a private address it does not', async () => {
  expect(await ask('consumer', { op: 'fetch', url: serverUrl })).toEqual({ status: 200, body: { temperature: 18.5, city: 'Athens' } });
  const refused = await ask<{ error: string }>('consumer', { op: 'fetch', url: 'http://192.168.1.10/admin' });
  expect(refused.error).toContain('private, local or metadata address');
});

test('publishing on system control topics is refused; a system topic is checked against its schema', async () => {
  expect((await ask<{ error: string }>('consumer', { op: 'publish', topic: 'agents/producer/commands', data: { command: 'delete' } })).error).toContain('system topic');
  expect((await ask<{ error: string }>('consumer', { op: 'publish', topic: 'ha/state_changes/lock/lock.front_door', data: {} })).error).toContain('system topic');
  expect((await ask<{ error: string }>('consumer', { op: 'publish', topic: 'custom/triggers/door', data: 5 })).error).toContain('custom/triggers/door is a system topic and expects');
  expect(await ask('consumer', { op: 'publish', topic: 'custom/triggers/door', data: { open: true } })).toBe('published');
  expect(await ask('consumer', { op: 'publish', topic: 'agents/consumer/data/daily', data: { ok: 1 } })).toBe('published');
  await eventually(() => world.on('custom/triggers/door').length === 1, 'the trigger');
  expect(world.on('agents/producer/commands')).toEqual([]);
});

test('agents() lists the running actors; state is per agent and in memory', async () => {
  const list = await ask<string[]>('consumer', { op: 'agents' });
  expect(list).toEqual(expect.arrayContaining(['producer:dynamic:running', 'consumer:dynamic:running']));
  expect(await ask('consumer', { op: 'state' })).toBe(1);
  expect(await ask('consumer', { op: 'state' })).toBe(2);
});

test('a task to an agent without handleTask is answered with a failure, and the agent keeps running', async () => {
  await world.agents.spawner.spawn({ name: 'quiet', type: 'dynamic', code: 'async function setup(agent) { agent.log("up"); }' } as never, { by: 'llm' });
  const answer = await ask('quiet', { hello: 1 });
  expect(isTaskFailed(answer)).toBe(true);
  expect(JSON.parse(JSON.stringify(answer))).toEqual({ error: 'quiet does not take tasks (its code has no handleTask hook)', phase: 'handleTask' });
  expect(world.system.get('quiet')?.state).toBe('running');
});
