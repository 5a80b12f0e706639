// An agent's life in its isolate: hooks in every accepted style, start failures with positions,
// process/handleTask/cleanup, and stop() releasing everything. Also the SDK reference and install.
import { afterEach, describe, expect, test } from 'vitest';
import { SandboxError } from '../../../server/src/sandbox/errors.ts';
import { installPackages } from '../../../server/src/sandbox/install.ts';
import { SDK_FUNCTIONS } from '../../../server/src/sandbox/sdk/index.ts';
import { SDK_REFERENCE, sdkReference } from '../../../server/src/sandbox/sdk/reference.ts';
import { SCOPES } from '../../../server/src/sandbox/types.ts';
import { AgentPool, eventually, FakeAgentHost } from '../../helpers/fake-agent-host.ts';

const pool = new AgentPool();
afterEach(() => pool.stopAll());

describe('hook styles run in a real isolate', () => {
  test.each([
    ['declarations', 'async function handleTask(agent, p) { return p + 1; }'],
    ['export', 'export async function handleTask(agent, p) { return p + 1; }'],
    ['const arrow', 'const handleTask = async (agent, p) => p + 1;'],
    ['snake_case', 'async function handle_task(agent, p) { return p + 1; }'],
    ['exports.x', 'exports.handleTask = async (agent, p) => p + 1;'],
    ['module.exports', 'module.exports = { handleTask: async (agent, p) => p + 1 };'],
    ['markdown fences', '```javascript\nasync function handleTask(agent, p) { return p + 1; }\n```'],
  ])('%s', async (_style, code) => {
    const { agent } = await pool.start(code);
    expect(agent.hooks).toEqual(['handleTask']);
    expect(await agent.handleTask(41)).toBe(42);
  });

  test('hooks may be synchronous functions too', async () => {
    const { agent } = await pool.start('function handleTask(agent, p) { return { got: p }; }');
    expect(await agent.handleTask('x')).toEqual({ got: 'x' });
  });
});

describe('start', () => {
  test('runs setup once; process and handleTask after it; warnings go to the log', async () => {
    const { agent, host } = await pool.start(`
      async function setup(agent) { agent.state.ready = true; await agent.log('ready'); }
      async function process(agent) { agent.state.ticks = (agent.state.ticks ?? 0) + 1; }
      async function handleTask(agent) { return { ready: agent.state.ready, ticks: agent.state.ticks ?? 0 }; }
      const unused = () => setTimeout(() => {}, 1);`);
    expect(agent.status).toBe('running');
    expect(agent.hooks).toEqual(['setup', 'process', 'handleTask']);
    await agent.process();
    await agent.process();
    expect(await agent.handleTask(null)).toEqual({ ready: true, ticks: 2 });
    expect(host.logs[0]).toEqual({ level: 'warn', message: expect.stringContaining('code check: line 5, column 28: there are no timers') as unknown });
    expect(host.logs[1]).toEqual({ level: 'info', message: 'ready' });
    expect(agent.warnings).toHaveLength(1);
  });

  test('a setup that throws fails start with the error and its position, reported', async () => {
    const { agent, host } = pool.create('async function setup(agent) {\n  const cfg = agent.recall("cfg");\n  return cfg.city.toUpperCase();\n}');
    const err = await agent.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SandboxError);
    expect(err).toMatchObject({ phase: 'setup', severity: 'error', message: "setup() threw TypeError: Cannot read properties of null (reading 'city') (line 3, column 14)" });
    expect(host.errors).toEqual([(err as SandboxError).toEvent()]);
    expect(agent.status).toBe('failed');
    await expect(agent.handleTask(null)).rejects.toThrow(/is failed/);
  });

  test('a throwing top level, a syntax error and a missing hook fail start with their phase', async () => {
    const load = pool.create('throw new Error("boom");\nasync function setup() {}');
    await expect(load.agent.start()).rejects.toMatchObject({ phase: 'load', message: expect.stringContaining('boom') as unknown });
    const syntax = pool.create('async function setup(agent) {\n  if (x {\n}');
    await expect(syntax.agent.start()).rejects.toMatchObject({ phase: 'compile', message: expect.stringMatching(/^line 2, column \d+: SyntaxError/) as unknown });
    const hookless = pool.create('// has setup only in a comment: function setup(\nconst x = 1;');
    await expect(hookless.agent.start()).rejects.toMatchObject({ phase: 'load', message: expect.stringContaining('no hook defined') as unknown });
  });

  test('start() can only be called once', async () => {
    const { agent } = await pool.start('async function setup() {}');
    await expect(agent.start()).rejects.toThrow('start() on a running agent');
  });

  test('calling a hook the agent lacks: process is a no-op, handleTask is refused', async () => {
    const { agent, host } = await pool.start('async function setup() {}');
    await agent.process();
    await expect(agent.handleTask(1)).rejects.toMatchObject({ phase: 'handleTask', message: 'agent agent-1 has no handleTask hook' });
    expect(host.errors).toHaveLength(1);
  });
});

describe('stop', () => {
  test('runs cleanup, then releases subscriptions and windows; nothing is delivered afterwards', async () => {
    const { agent, host } = await pool.start(`
      async function setup(agent) { agent.subscribe('a', () => {}); agent.subscribe('b/#', () => {}); agent.state.w = agent.window('c', 60); }
      async function cleanup(agent) { await agent.log('bye'); }`);
    expect(host.subscriptionCount).toBe(2);
    await agent.stop();
    expect(host.logs).toEqual([{ level: 'info', message: 'bye' }]);
    expect(host.subscriptionCount).toBe(0);
    expect(host.windowsClosed).toBe(1);
    expect(agent.status).toBe('stopped');
    expect(agent.stats().heapBytes).toBe(0);
    await expect(agent.process()).rejects.toThrow('agent agent-1 is stopped');
  });

  test('a failing cleanup is reported but stop still completes', async () => {
    const { agent, host } = await pool.start('async function cleanup() { throw new Error("cannot clean"); }');
    await agent.stop();
    expect(agent.status).toBe('stopped');
    expect(host.errors).toEqual([expect.objectContaining({ phase: 'cleanup', message: expect.stringContaining('cannot clean') as unknown })]);
  });

  test('hooks still running when the agent stops are rejected, not left hanging', async () => {
    const host = new FakeAgentHost();
    host.llmReply = () => new Promise<string>(() => {});
    const { agent } = await pool.start('async function handleTask(agent) { return agent.llm.chat("slow"); }', { host });
    const pending = agent.handleTask(null);
    await eventually(() => host.llmRequests.length === 1, 'the LLM call');
    agent.dispose();
    await expect(pending).rejects.toThrow('agent agent-1 was stopped');
    expect(host.errors).toEqual([]);
  });
});

test('stats report hooks, CPU time and heap use', async () => {
  const { agent } = await pool.start('async function handleTask() { let s = 0; for (let i = 0; i < 1e5; i++) s += i; return s; }');
  await agent.handleTask(null);
  const stats = agent.stats();
  expect(stats).toMatchObject({ status: 'running', hooks: ['handleTask'], droppedLogLines: 0, droppedMessages: 0 });
  expect(stats.cpuTimeMs).toBeGreaterThan(0);
  expect(stats.heapBytes).toBeGreaterThan(0);
});

describe('SDK reference', () => {
  test('documents every exposed function and the rules of the sandbox', () => {
    for (const fn of SDK_FUNCTIONS.filter((f) => f.path !== null)) expect(SDK_REFERENCE).toContain(fn.doc.signature);
    expect(SDK_REFERENCE).toContain('async function handleTask(agent, payload)');
    expect(SDK_REFERENCE).toContain('no require/import');
    expect(SDK_REFERENCE).toContain('agent.state');
    expect(SDK_REFERENCE).toContain('console.log');
  });

  test('an agent-specific reference leaves out what it was not granted', () => {
    const ref = sdkReference({ scopes: SCOPES.filter((s) => s !== 'http' && s !== 'ha:write') });
    expect(ref).not.toContain('agent.http.fetch(url');
    expect(ref).not.toContain('agent.ha.callService(domain');
    expect(ref).toContain('agent.ha.getState(entityId)');
    expect(ref).toContain('agent.sleep(ms)');
  });
});

test('install reports clearly that packages are not available', () => {
  expect(installPackages([])).toBeUndefined();
  const result = installPackages(['axios', ' lodash ']);
  expect(result).toEqual({ ok: false, message: expect.stringContaining('Packages cannot be installed for sandboxed agents (asked for: axios, lodash)') as unknown });
  expect(result?.message).toContain('agent.http.fetch');
});
