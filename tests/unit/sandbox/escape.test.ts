// Escape attempts by hostile agent code. Each must stay inside the isolate, be reported when it
// hits a limit, and leave the host process exactly as healthy as before. (Sizes, log floods and
// sendTo loops: limits.test.ts.)
import { afterEach, describe, expect, test } from 'vitest';
import { SandboxError } from '../../../server/src/sandbox/errors.ts';
import type { Json } from '../../../server/src/sandbox/types.ts';
import { AgentPool, eventually, FakeAgentHost } from '../../helpers/fake-agent-host.ts';

const pool = new AgentPool();
const SECRET = 'secret-token-0f9c2b7e';

afterEach(() => {
  pool.stopAll();
  // The host after every attempt: no pollution, environment intact.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).hacked).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'toJSON')).toBe(false);
  expect(typeof process.exit).toBe('function');
});

async function run(body: string, host = new FakeAgentHost(), payload: Json = null): Promise<Json> {
  const { agent } = await pool.start(`async function handleTask(agent, payload) {\n${body}\n}`, { host });
  return agent.handleTask(payload);
}

/** Tries `new (x.constructor.constructor)` on a value and reports what that Function can see. */
const probe = (expr: string): string => `
  const F = (${expr}).constructor.constructor;
  return {
    sameFunction: F === Function,
    process: F('return typeof process')(),
    require: F('try { require("fs"); return "loaded"; } catch (e) { return e.message; }')(),
  };`;

const CONTAINED = { sameFunction: true, process: 'undefined', require: expect.stringContaining('require() is not available in the sandbox') as unknown };

describe('constructor chains lead to the isolate Function, never the host one', () => {
  test('from this and from the global object', async () => {
    expect(await run(probe('this ?? globalThis'))).toEqual(CONTAINED);
    expect(await run(`return Function('return this')().process === undefined && typeof globalThis.process === 'undefined';`)).toBe(true);
  });

  test('from SDK return values (sync and async)', async () => {
    const host = new FakeAgentHost();
    host.kv.set('k', { a: 1 });
    host.haStates.set('sensor.t', { entity_id: 'sensor.t', state: '1', attributes: {} });
    expect(await run(probe(`agent.recall('k')`), host)).toEqual(CONTAINED);
    expect(await run(probe(`await agent.ha.getState('sensor.t')`), host)).toEqual(CONTAINED);
    expect(await run(probe(`agent.agents()`), host)).toEqual(CONTAINED);
    expect(await run(probe(`agent.window('t', 10)`), host)).toEqual(CONTAINED);
  });

  test('from SDK functions themselves and from errors they throw', async () => {
    expect(await run(probe('agent.log'))).toEqual(CONTAINED);
    expect(await run(probe('agent.http.fetch'))).toEqual(CONTAINED);
    expect(await run(`let err; try { await agent.llm.chat({}); } catch (e) { err = e; }\n${probe('err')}`)).toEqual(CONTAINED);
    expect(await run(`let err; try { agent.recall(''); } catch (e) { err = e; }\n${probe('Object.getPrototypeOf(err)')}`)).toEqual(CONTAINED);
  });

  test('from subscribe callback arguments, and .caller of the callback is not the shim', async () => {
    const { agent, host } = await pool.start(`
      async function setup(agent) {
        agent.subscribe('t', function cb(data, topic) {
          const F = data.constructor.constructor;
          agent.state.seen = { process: F('return typeof process')(), topicProcess: topic.constructor.constructor('return typeof process')(), caller: cb.caller === null };
        });
      }
      async function handleTask(agent) { return agent.state.seen ?? null; }`);
    host.emit('t', { x: 1 });
    expect(await eventually(() => agent.handleTask(null), 'the callback')).toEqual({ process: 'undefined', topicProcess: 'undefined', caller: true });
  });

  test('stack-frame tricks (Error.prepareStackTrace) yield no function and no host file', async () => {
    const result = await run(`
      const frames = [];
      Error.prepareStackTrace = (e, fs) => fs;
      try { agent.recall(''); } catch (e) { frames.push(...e.stack); }
      try { await agent.publish('a/#', 1); } catch (e) { if (Array.isArray(e.stack)) frames.push(...e.stack); }
      Error.prepareStackTrace = undefined;
      return { frames: frames.length, functions: frames.filter((f) => f.getFunction() !== undefined).length, files: [...new Set(frames.map((f) => String(f.getFileName())))].sort() };`);
    expect(result).toMatchObject({ functions: 0, files: ['agent.js', 'sdk.js'] });
    expect((result as { frames: number }).frames).toBeGreaterThan(3);
  });

  test('the global object holds only standard built-ins and the sandbox stubs', async () => {
    const names = (await run(`return Object.getOwnPropertyNames(globalThis);`)) as string[];
    const stubs = ['require', 'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'module', 'exports', 'console', 'handleTask'];
    const unexpected = names.filter((n) => !stubs.includes(n) && !/^[A-Z]/.test(n) && !['globalThis', 'parseFloat', 'parseInt', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape', 'eval', 'isFinite', 'isNaN', 'undefined', 'NaN', 'Infinity'].includes(n));
    expect(unexpected).toEqual([]);
    expect(names).not.toContain('WebAssembly');
    expect(names).not.toContain('SharedArrayBuffer');
    expect(names).not.toContain('Atomics');
  });
});

describe('prototype pollution stays in the isolate', () => {
  test('polluting SDK return values and Object.prototype inside does not reach the host or other agents', async () => {
    const host = new FakeAgentHost();
    host.haStates.set('sensor.t', { entity_id: 'sensor.t', state: '1', attributes: {} });
    const other = await pool.start(`async function handleTask() { return { polluted: ({}).polluted ?? null, hacked: ({}).hacked ?? null }; }`);
    expect(await run(`
      const s = await agent.ha.getState('sensor.t');
      s.__proto__.polluted = 'yes';
      Object.prototype.hacked = 1;
      Array.prototype.push = () => 0;
      await agent.publish('t', { fine: true });
      return ({}).polluted;`, host)).toBe('yes');
    expect(host.haStates.get('sensor.t')).toEqual({ entity_id: 'sensor.t', state: '1', attributes: {} });
    expect(host.published).toEqual([{ topic: 't', payload: { fine: true } }]);
    expect(await other.agent.handleTask(null)).toEqual({ polluted: null, hacked: null });
  });

  test('a __proto__ key in a payload arrives as nothing, so a naive merge on the host is safe', async () => {
    const host = new FakeAgentHost();
    await run(`await agent.publish('t', JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}')); return null;`, host);
    const payload = host.published[0].payload as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual(['ok']);
    const merged: Record<string, unknown> = Object.assign({}, payload);
    expect(merged.polluted).toBeUndefined();
  });

  test('persist refuses __proto__ as a key', async () => {
    expect(await run(`try { agent.persist('__proto__', { polluted: true }); return 'stored'; } catch (e) { return e.message; }`)).toContain('key may not be __proto__');
  });

  test('an inherited "error" or toJSON planted by the agent cannot confuse the SDK or the host', async () => {
    const host = new FakeAgentHost();
    host.kv.set('k', 5);
    expect(await run(`Object.prototype.error = 'gotcha'; const v = agent.recall('k'); delete Object.prototype.error; return v;`, host)).toBe(5);
    await expect(run(`Object.prototype.toJSON = () => 'garbage'; return 1;`)).rejects.toThrow(/unreadable/);
  });
});

describe('no Node, no modules, no secrets', () => {
  test('require, process, fetch and timers are absent or refuse with guidance', async () => {
    expect(
      await run(`
        const tryIt = (f) => { try { return String(f()); } catch (e) { return e.message; } };
        return {
          require: tryIt(() => require('child_process')),
          process: typeof process,
          evalRequire: tryIt(() => eval('require')('fs')),
          fetch: tryIt(() => fetch('https://example.com')),
          timer: tryIt(() => setTimeout(() => {}, 10)),
        };`),
    ).toEqual({
      require: expect.stringContaining('require() is not available in the sandbox') as unknown,
      process: 'undefined',
      evalRequire: expect.stringContaining('require() is not available in the sandbox') as unknown,
      fetch: 'fetch() is not available in the sandbox: use await agent.http.fetch(url)',
      timer: expect.stringContaining('setTimeout is not available in the sandbox: use await agent.sleep(ms)') as unknown,
    });
  });

  test('a process() hook is the agent\'s own function, not Node\'s process', async () => {
    const { agent } = await pool.start(`async function process(agent) {}\nasync function handleTask() { return [typeof process, process.env === undefined, typeof process.binding]; }`);
    expect(await agent.handleTask(null)).toEqual(['function', true, 'undefined']);
  });

  test('dynamic import() rejects and a static import does not compile', async () => {
    expect(await run(`try { await import('fs'); return 'imported'; } catch (e) { return e.message; }`)).toBe('Not supported');
    const { agent, host } = pool.create(`import fs from 'fs';\nasync function setup() {}`);
    await expect(agent.start()).rejects.toMatchObject({ phase: 'compile', message: expect.stringContaining('import statements are not available') as unknown });
    expect(host.errors).toHaveLength(1);
  });

  test('no secret of the host is reachable from agent code', async () => {
    process.env.SUPERVISOR_TOKEN = SECRET;
    try {
      const dump = await run(`
        const seen = new Set(); const out = [];
        const walk = (v, depth) => {
          if (depth > 4 || v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) { if (typeof v === 'string') out.push(v); return; }
          seen.add(v);
          for (const k of Object.getOwnPropertyNames(v)) { let x; try { x = v[k]; } catch (e) { continue; } out.push(k); walk(x, depth + 1); }
        };
        walk(globalThis, 0); walk(agent, 0);
        return out.join('|');`);
      expect(dump).not.toContain(SECRET);
      expect(dump).not.toMatch(/SUPERVISOR_TOKEN|HA_TOKEN/);
    } finally {
      delete process.env.SUPERVISOR_TOKEN;
    }
  });
});

describe('runaway code is contained and reported', () => {
  test('an endless loop in setup fails start; an endless loop in an async hook after awaits is cut off', async () => {
    const a = pool.create(`async function setup() { for (;;) {} }`, { limits: { cpuPerEntryMs: 200 } });
    await expect(a.agent.start()).rejects.toMatchObject({ phase: 'setup', severity: 'critical' });
    expect(a.host.errors).toEqual([expect.objectContaining({ severity: 'critical' })]);

    const b = await pool.start(`async function handleTask(agent) { await agent.sleep(0); await agent.publish('x', 1); while (true) {} }`, { limits: { cpuPerEntryMs: 200 } });
    await expect(b.agent.handleTask(null)).rejects.toMatchObject({ phase: 'continuation', severity: 'critical' });
  });

  test('deep recursion ends in a RangeError inside the isolate', async () => {
    const { agent } = await pool.start(`async function handleTask() { const f = (n) => f(n + 1) + 1; return f(0); }`);
    await expect(agent.handleTask(null)).rejects.toThrow(/handleTask\(\) threw RangeError: Maximum call stack size exceeded/);
    expect(agent.status).toBe('running');
  });

  test.each([
    ['string doubling', `let s = 'x'; while (true) s += s;`],
    ['array of strings', `const a = []; while (true) a.push('y'.repeat(65536) + a.length);`],
    ['typed arrays', `const a = []; while (true) a.push(new Float64Array(1 << 20));`],
  ])('memory bomb (%s) is contained: the agent fails, the host and its neighbours carry on', async (_name, bomb) => {
    const bystander = await pool.start(`async function handleTask(agent, p) { return p; }`);
    const { agent, host } = await pool.start(`async function handleTask() { ${bomb} }`, { limits: { memoryMb: 16, cpuPerEntryMs: 20_000 } });
    const err = await agent.handleTask(null).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SandboxError);
    expect(['fatal', 'error']).toContain((err as SandboxError).severity);
    expect(host.errors).toContainEqual((err as SandboxError).toEvent());
    expect(await bystander.agent.handleTask('alive')).toBe('alive');
    expect(process.memoryUsage().rss).toBeLessThan(2 * 1024 ** 3);
  });
});
