// Every SDK method, called from agent code inside a real isolate, against the in-memory AgentHost.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { createHttpFetcher } from '../../../server/src/sandbox/fetch/fetcher.ts';
import { createFetchPolicy } from '../../../server/src/sandbox/fetch/policy.ts';
import type { SandboxedAgentOptions } from '../../../server/src/sandbox/agent.ts';
import { SCOPES, type Json } from '../../../server/src/sandbox/types.ts';
import { AgentPool, eventually, FakeAgentHost } from '../../helpers/fake-agent-host.ts';

const pool = new AgentPool();
afterEach(() => pool.stopAll());

/** Runs `body` as the agent's handleTask and returns what it returned. */
async function run(body: string, options: Partial<SandboxedAgentOptions> & { host?: FakeAgentHost } = {}, payload: Json = null): Promise<{ result: Json; host: FakeAgentHost }> {
  const { agent, host } = await pool.start(`async function handleTask(agent, payload) {\n${body}\n}`, options);
  return { result: await agent.handleTask(payload), host };
}

/** Agent code that returns what an awaited expression threw, as seen inside the isolate. */
const caught = (expr: string): string => `
  try { await ${expr}; return 'no error'; }
  catch (e) { return { message: e.message, plain: e.constructor === Error, hostStack: /node_modules|server\\/src|\\.ts:/.test(String(e.stack)) }; }`;

describe('log, alert and console', () => {
  test('log writes lines with levels; non-strings are written as JSON', async () => {
    const { host } = await run(`await agent.log('hello'); await agent.log({ a: 1 }, 'warn'); agent.log('quiet', 'debug'); return null;`);
    expect(host.logs).toEqual([
      { level: 'info', message: 'hello' },
      { level: 'warn', message: '{"a":1}' },
      { level: 'debug', message: 'quiet' },
    ]);
  });

  test('console.log/warn/error write to the agent log', async () => {
    const { host } = await run(`console.log('a', 1, { b: 2 }); console.warn('careful'); console.error('bad'); return null;`);
    expect(host.logs).toEqual([
      { level: 'info', message: 'a 1 {"b":2}' },
      { level: 'warn', message: 'careful' },
      { level: 'error', message: 'bad' },
    ]);
  });

  test('alert carries a severity, warning by default', async () => {
    const { host } = await run(`await agent.alert('door open'); await agent.alert('fire', 'critical'); return null;`);
    expect(host.alerts).toEqual([
      { message: 'door open', severity: 'warning' },
      { message: 'fire', severity: 'critical' },
    ]);
  });

  test('a bad level is refused with a plain Error naming the argument', async () => {
    const { result, host } = await run(caught(`agent.log('x', 'loud')`));
    expect(result).toMatchObject({ plain: true, hostStack: false });
    expect((result as { message: string }).message).toMatch(/^agent\.log: argument 2: .*Signature: agent\.log\(message/);
    expect(host.logs).toEqual([]);
  });
});

describe('publish and subscribe', () => {
  test('publish sends JSON data to a topic and resolves', async () => {
    const { result, host } = await run(`const r = await agent.publish('custom/a/b', { temp: 21.5, ok: true }); return r === undefined;`);
    expect(result).toBe(true);
    expect(host.published).toEqual([{ topic: 'custom/a/b', payload: { temp: 21.5, ok: true } }]);
  });

  test('publish refuses wildcards in a topic', async () => {
    const { result, host } = await run(caught(`agent.publish('a/#', 1)`));
    expect((result as { message: string }).message).toContain('cannot contain +, # or NUL');
    expect(host.published).toEqual([]);
  });

  test('subscribe delivers payload and topic to the callback, wildcards included', async () => {
    const { agent, host } = await pool.start(`
      async function setup(agent) {
        agent.subscribe('home/+/temp', async (data, topic) => { agent.state.got = (agent.state.got || []).concat([[topic, data]]); });
      }
      async function handleTask(agent) { return agent.state.got || []; }`);
    expect(host.emit('home/kitchen/temp', { v: 20 })).toBe(1);
    host.emit('home/hall/temp', 19);
    host.emit('home/hall/humidity', 50);
    await eventually(async () => ((await agent.handleTask(null)) as unknown[]).length === 2, 'two deliveries');
    expect(await agent.handleTask(null)).toEqual([['home/kitchen/temp', { v: 20 }], ['home/hall/temp', 19]]);
  });

  test('callbacks run one message at a time, in order, even when they await', async () => {
    const { agent, host } = await pool.start(`
      async function setup(agent) {
        agent.state.trace = [];
        agent.subscribe('t', async (n) => { agent.state.trace.push('start ' + n); await agent.llm.chat('x' + n); agent.state.trace.push('end ' + n); });
      }
      async function handleTask(agent) { return agent.state.trace; }`);
    for (const n of [1, 2, 3]) host.emit('t', n);
    await eventually(async () => ((await agent.handleTask(null)) as unknown[]).length === 6, 'three callbacks');
    expect(await agent.handleTask(null)).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  test('messages that arrive during setup (retained ones) are delivered once setup has finished', async () => {
    const host = new FakeAgentHost();
    const realPublish = host.publish.bind(host);
    host.publish = async (topic, payload) => {
      await realPublish(topic, payload);
      host.emit('retained', 'hello');
    };
    const { agent } = await pool.start(
      `async function setup(agent) {
         agent.subscribe('retained', (m) => { agent.state.seen = [m, agent.state.ready === true]; });
         await agent.publish('announce', 1);
         agent.state.ready = true;
       }
       async function handleTask(agent) { return agent.state.seen ?? null; }`,
      { host },
    );
    expect(await eventually(() => agent.handleTask(null), 'the retained message')).toEqual(['hello', true]);
  });

  test('a callback that throws is logged and reported; the next message still arrives', async () => {
    const { agent, host } = await pool.start(`
      async function setup(agent) { agent.subscribe('t', (n) => { if (n === 1) throw new TypeError('bad ' + n); agent.state.last = n; }); }
      async function handleTask(agent) { return agent.state.last ?? null; }`);
    host.emit('t', 1);
    host.emit('t', 2);
    await eventually(async () => (await agent.handleTask(null)) === 2, 'second message');
    expect(host.logs.some((l) => l.level === 'error' && l.message.includes('TypeError: bad 1'))).toBe(true);
    expect(host.errors).toContainEqual(expect.objectContaining({ phase: 'subscription', severity: 'warning' }));
  });

  test('subscribe needs a function and a valid filter', async () => {
    const a = await run(caught(`agent.subscribe('t', 'nope')`));
    expect((a.result as { message: string }).message).toContain('callback must be a function');
    const b = await run(caught(`agent.subscribe('a/#/b', () => {})`));
    expect((b.result as { message: string }).message).toContain('invalid topic filter');
    expect(b.host.subscriptionCount).toBe(0);
  });
});

describe('persist, recall and state', () => {
  test('persist stores durably through the host; recall returns a plain value (await optional)', async () => {
    const host = new FakeAgentHost();
    host.kv.set('seen', 4);
    const { result } = await run(
      `const before = agent.recall('seen');
       const p = agent.persist('seen', before + 1);
       const isPromise = p instanceof Promise;
       await p;
       return { before, after: await agent.recall('seen'), missing: agent.recall('nope'), fallback: agent.recall('nope', 'dflt'), isPromise };`,
      { host },
    );
    expect(result).toEqual({ before: 4, after: 5, missing: null, fallback: 'dflt', isPromise: true });
    expect(host.kv.get('seen')).toBe(5);
  });

  test('state is a plain object shared by the hooks of one isolate and empty in a new one', async () => {
    const host = new FakeAgentHost();
    const code = `async function setup(agent) { agent.state.count = (agent.state.count ?? 0) + 1; }
      async function handleTask(agent) { agent.state.count++; return agent.state.count; }`;
    const first = await pool.start(code, { host });
    expect(await first.agent.handleTask(null)).toBe(2);
    expect(await first.agent.handleTask(null)).toBe(3);
    first.agent.dispose();
    const second = await pool.start(code, { host });
    expect(await second.agent.handleTask(null)).toBe(2);
  });
});

describe('llm.chat', () => {
  test('a prompt, options and a conversation reach the host; the reply is text', async () => {
    const host = new FakeAgentHost();
    host.llmReply = async (r) => `reply to ${r.prompt ?? r.messages?.at(-1)?.content}`;
    const { result } = await run(
      `const a = await agent.llm.chat('hello', { system: 'be brief', maxTokens: 50 });
       const b = await agent.llm.chat({ messages: [{ role: 'user', content: 'hi there' }] });
       return [a, b];`,
      { host },
    );
    expect(result).toEqual(['reply to hello', 'reply to hi there']);
    expect(host.llmRequests[0]).toEqual({ prompt: 'hello', system: 'be brief', maxTokens: 50 });
    expect(host.llmRequests[1]).toEqual({ messages: [{ role: 'user', content: 'hi there' }] });
  });

  test('an empty request is refused; a host failure becomes a plain Error', async () => {
    const host = new FakeAgentHost();
    host.llmReply = async () => {
      throw new Error('budget spent for today\n    at LlmService.chat (/app/server/src/llm/service.ts:10:5)');
    };
    const empty = await run(caught(`agent.llm.chat({})`), { host });
    expect((empty.result as { message: string }).message).toContain('give a prompt or at least one message');
    const failed = await run(caught(`agent.llm.chat('x')`), { host });
    expect(failed.result).toEqual({ message: 'budget spent for today', plain: true, hostStack: false });
  });
});

describe('agent to agent', () => {
  test('sendTo, delegate and send_to ask another agent with one more hop', async () => {
    const host = new FakeAgentHost();
    host.sendToHandler = async (target, payload) => ({ from: target, echo: payload });
    const { result } = await run(
      `return [await agent.sendTo('w', { city: 'Athens' }), await agent.delegate('x', 1), await agent.send_to('y')];`,
      { host },
    );
    expect(result).toEqual([{ from: 'w', echo: { city: 'Athens' } }, { from: 'x', echo: 1 }, { from: 'y', echo: null }]);
    expect(host.sent.map((s) => s.hops)).toEqual([1, 1, 1]);
  });

  test('a task that arrived after 3 hops sends with hop 4', async () => {
    const host = new FakeAgentHost();
    host.sendToHandler = async () => 'ok';
    const { agent } = await pool.start(`async function handleTask(agent, p) { return agent.sendTo('next', p); }`, { host });
    await agent.handleTask('x', { hops: 3 });
    expect(host.sent).toEqual([{ target: 'next', payload: 'x', hops: 4 }]);
  });

  test('sendToMany fans out in parallel and reports each outcome in order', async () => {
    const host = new FakeAgentHost();
    host.sendToHandler = async (target, payload) => {
      if (target === 'broken') throw new Error('agent broken failed');
      return { target, payload };
    };
    const { result } = await run(`return agent.sendToMany([['a', 1], { agent: 'broken', payload: 2 }, { name: 'c', payload: 3 }]);`, { host });
    expect(result).toEqual([
      { agent: 'a', ok: true, result: { target: 'a', payload: 1 } },
      { agent: 'broken', ok: false, error: 'agent broken failed' },
      { agent: 'c', ok: true, result: { target: 'c', payload: 3 } },
    ]);
  });

  test('agents() lists running agents as a plain value', async () => {
    const host = new FakeAgentHost();
    host.agentList = [{ name: 'weather', type: 'dynamic', status: 'running', description: 'weather' }, { name: 'main', type: 'main', status: 'running' }];
    const { result } = await run(`const list = agent.agents(); return { names: list.map((a) => a.name), same: (await agent.listAgents()).length };`, { host });
    expect(result).toEqual({ names: ['weather', 'main'], same: 2 });
  });
});

describe('window', () => {
  test('the window object forwards each method to the host window and returns plain values', async () => {
    const host = new FakeAgentHost();
    host.windowData.set('sensors/temp', [20, 21, 25]);
    const { result } = await run(
      `const w = agent.window('sensors/temp', 300);
       return {
         mean: w.mean('value'), min: w.min(), max: w.max(), count: w.count(), latest: w.latest(), values: w.values(),
         rising: w.rising(3), risingMore: w.rising({ threshold: 10, field: 'value' }), falling: w.falling(1),
         stable: w.stable({ tolerance: 10 }), absent: w.absent_for(60), absentAlias: w.absentFor(60), events: await w.event_count(120),
       };`,
      { host },
    );
    expect(result).toEqual({ mean: 22, min: 20, max: 25, count: 3, latest: 25, values: [20, 21, 25], rising: true, risingMore: false, falling: false, stable: true, absent: false, absentAlias: false, events: 3 });
    expect(host.windowsOpened).toEqual([{ topic: 'sensors/temp', options: { seconds: 300 } }]);
    expect(host.windowQueries).toContainEqual({ op: 'rising', threshold: 10, field: 'value' });
    expect(host.windowQueries).toContainEqual({ op: 'event_count', seconds: 120 });
  });

  test('windows accept { seconds, maxEvents }, refuse bad queries, and close when the agent stops', async () => {
    const host = new FakeAgentHost();
    const { agent } = await pool.start(
      `async function handleTask(agent) { const w = agent.window('a/b', { seconds: 60, maxEvents: 10 }); try { w.absent_for(-1); return 'no error'; } catch (e) { return e.message; } }`,
      { host },
    );
    expect(await agent.handleTask(null)).toMatch(/^window\.query: argument 2/);
    expect(host.windowsOpened).toEqual([{ topic: 'a/b', options: { seconds: 60, maxEvents: 10 } }]);
    await agent.stop();
    expect(host.windowsClosed).toBe(1);
  });
});

test('declareContract (and declare_contract) hand the declared object to the host', async () => {
  const { host } = await run(`await agent.declareContract({ publishes: 'custom/x', produces_schema: { temp: 'number' } }); agent.declare_contract({ subscribes: ['a/+'] }); return null;`);
  expect(host.contracts).toEqual([{ publishes: 'custom/x', produces_schema: { temp: 'number' } }, { subscribes: ['a/+'] }]);
});

describe('Home Assistant', () => {
  test('ha.getState returns the entity or null', async () => {
    const host = new FakeAgentHost();
    host.haStates.set('sensor.temp', { entity_id: 'sensor.temp', state: '21.5', attributes: { unit_of_measurement: '°C' } });
    const { result } = await run(`return [await agent.ha.getState('sensor.temp'), await agent.ha.get_state('sensor.none')];`, { host });
    expect(result).toEqual([{ entity_id: 'sensor.temp', state: '21.5', attributes: { unit_of_measurement: '°C' } }, null]);
  });

  test('ha.getState refuses what is not an entity id', async () => {
    const { result } = await run(caught(`agent.ha.getState('not an entity')`));
    expect((result as { message: string }).message).toContain('an entity id such as light.kitchen');
  });

  test('ha.callService accepts (domain, service, data) and ("domain.service", data)', async () => {
    const { result, host } = await run(
      `const a = await agent.ha.callService('light', 'turn_on', { entity_id: 'light.kitchen', brightness_pct: 40 });
       await agent.ha.call_service('switch.turn_off', { entity_id: 'switch.fan' });
       await agent.ha.callService('scene', 'turn_on');
       return a;`,
    );
    expect(result).toEqual({ ok: true });
    expect(host.serviceCalls).toEqual([
      { domain: 'light', service: 'turn_on', data: { entity_id: 'light.kitchen', brightness_pct: 40 } },
      { domain: 'switch', service: 'turn_off', data: { entity_id: 'switch.fan' } },
      { domain: 'scene', service: 'turn_on' },
    ]);
  });

  test('ha.cameraSnapshot returns the image for camera entities only', async () => {
    const { result } = await run(`const s = await agent.ha.cameraSnapshot('camera.door'); let refused = ''; try { await agent.ha.cameraSnapshot('light.x'); } catch (e) { refused = e.message; } return { s, refused };`);
    expect(result).toEqual({ s: { contentType: 'image/jpeg', dataBase64: '/9j/AAAA' }, refused: expect.stringContaining('a camera entity') as unknown });
  });
});

describe('notify and sleep', () => {
  test('notify takes a message with options, or one object', async () => {
    const { host } = await run(`await agent.notify('Door opened', { title: 'Home', target: 'mobile_app_pixel' }); await agent.notify({ message: 'Hi' }); return null;`);
    expect(host.notifications).toEqual([{ message: 'Door opened', title: 'Home', target: 'mobile_app_pixel' }, { message: 'Hi' }]);
  });

  test('sleep waits on the injected clock and refuses long naps', async () => {
    const clock = new ManualClock();
    const { agent } = await pool.start(`async function handleTask(agent, ms) { await agent.sleep(ms); return 'woke'; }`, { clock });
    const long = agent.handleTask(61_000);
    await expect(long).rejects.toThrow(/agent\.sleep: at most 60 s/);
    let woke: Json | undefined;
    const nap = agent.handleTask(5000).then((v) => (woke = v));
    await eventually(() => clock.pending() >= 2, 'the sleep timer');
    expect(woke).toBeUndefined();
    await clock.advance(5000);
    await nap;
    expect(woke).toBe('woke');
  });
});

describe('http.fetch', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/json') {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-custom', 'yes');
        res.end(JSON.stringify({ method: req.method, ua: req.headers['user-agent'] }));
      } else if (req.url === '/echo') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => res.end(`${req.headers['content-type']}|${body}`));
      } else {
        res.statusCode = 404;
        res.end('missing');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const localFetcher = () => createHttpFetcher(createFetchPolicy({ allowedAddresses: ['127.0.0.1'] }));

  test('returns a Response look-alike: status, headers.get, json() and text()', async () => {
    const { result } = await run(
      `const r = await agent.http.fetch(payload + '/json');
       const j = await r.json();
       const missing = await agent.http.fetch(payload + '/nope');
       const posted = await agent.http.fetch(payload + '/echo', { method: 'POST', body: { a: 1 } });
       return { ok: r.ok, status: r.status, header: r.headers.get('X-Custom'), j, missing: [missing.ok, missing.status, await missing.text()], posted: await posted.text() };`,
      { fetcher: localFetcher() },
      base,
    );
    expect(result).toEqual({ ok: true, status: 200, header: 'yes', j: { method: 'GET', ua: 'wactorz-agent' }, missing: [false, 404, 'missing'], posted: 'application/json|{"a":1}' });
  });

  test('the default policy refuses the same local server', async () => {
    const { result } = await run(caught(`agent.http.fetch(payload + '/json')`), {}, base);
    expect(result).toEqual({ message: expect.stringContaining('127.0.0.1 is a private, local or metadata address') as unknown, plain: true, hostStack: false });
  });
});

describe('scopes', () => {
  test('a granted call works and a denied one is refused and reported (end to end)', async () => {
    const { result, host } = await run(
      `await agent.log('allowed');
       try { await agent.ha.callService('lock', 'unlock', { entity_id: 'lock.front' }); return 'unlocked'; }
       catch (e) { return e.message; }`,
      { scopes: SCOPES.filter((s) => s !== 'ha:write') },
    );
    expect(result).toBe('agent.ha.callService is not allowed for this agent (it needs the "ha:write" permission)');
    expect(host.logs).toEqual([{ level: 'info', message: 'allowed' }]);
    expect(host.serviceCalls).toEqual([]);
    expect(host.errors).toContainEqual({ phase: 'sdk', severity: 'warning', message: result });
  });

  test('an agent with no scopes still has state, sleep and its identity', async () => {
    const { result } = await run(`agent.state.x = 1; await agent.sleep(0); let denied = ''; try { agent.recall('k'); } catch (e) { denied = e.message; } return [agent.id, agent.name, agent.state.x, denied];`, { scopes: [], id: 'id-7', name: 'quiet' });
    expect(result).toEqual(['id-7', 'quiet', 1, 'agent.recall is not allowed for this agent (it needs the "persist" permission)']);
  });
});
