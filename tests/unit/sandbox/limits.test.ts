// Every limit around a sandboxed agent: CPU per entry, wall-clock per hook, memory, sizes, log
// rate, queued messages and agent-to-agent hops. Each is hit for real and must be contained,
// reported, and leave the host (and usually the agent) working.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { SandboxError } from '../../../server/src/sandbox/errors.ts';
import { DEFAULT_LIMITS, resolveLimits } from '../../../server/src/sandbox/limits.ts';
import type { SandboxedAgent } from '../../../server/src/sandbox/agent.ts';
import { AgentPool, eventually, FakeAgentHost } from '../../helpers/fake-agent-host.ts';

const pool = new AgentPool();
afterEach(() => pool.stopAll());

const FAST_CPU = { cpuPerEntryMs: 200 };

async function rejection(p: Promise<unknown>): Promise<SandboxError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SandboxError);
  return err as SandboxError;
}

test('the defaults are those of the issue and can be overridden', () => {
  expect(DEFAULT_LIMITS).toMatchObject({ memoryMb: 32, processMs: 120_000, handleTaskMs: 60_000, maxMessageBytes: 256 * 1024 });
  expect(resolveLimits({ memoryMb: 64, handleTaskMs: 5000 })).toMatchObject({ memoryMb: 64, handleTaskMs: 5000, processMs: 120_000 });
  expect(() => resolveLimits({ memoryMb: 4 })).toThrow(/at least 8 MB/);
  expect(() => resolveLimits({ cpuPerEntryMs: 0 })).toThrow(/cpuPerEntryMs/);
});

describe('CPU limit per entry', () => {
  test('while(true){} in a hook is stopped, reported as critical, and the agent keeps answering', async () => {
    const { agent, host } = await pool.start(`async function handleTask(agent, p) { if (p === 'spin') { while (true) {} } return 'fine'; }`, { limits: FAST_CPU });
    const err = await rejection(agent.handleTask('spin'));
    expect(err).toMatchObject({ phase: 'handleTask', severity: 'critical' });
    expect(err.message).toContain('CPU limit');
    expect(host.errors).toEqual([err.toEvent()]);
    expect(agent.status).toBe('running');
    expect(await agent.handleTask('again')).toBe('fine');
  });

  test('during an endless loop the event loop, host timers, an HTTP server and other isolates keep running', async () => {
    const spinning = await pool.start(`async function handleTask() { while (true) {} }`, { limits: { cpuPerEntryMs: 1500 } });
    const other = await pool.start(`async function handleTask(agent, n) { return n * 2; }`);
    const order: string[] = [];
    const loop = spinning.agent.handleTask(null).catch(() => order.push('loop stopped'));
    setTimeout(() => order.push('host timer fired'), 0);
    const server = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const answers: unknown[] = [];
      for (let i = 0; i < 20; i++) answers.push(await other.agent.handleTask(i));
      order.push(`other answered ${answers.length}`);
      const http = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      order.push(`http ${await http.text()}`);
      await loop;
      expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    } finally {
      server.closeAllConnections();
      server.close();
    }
    // The loop is stopped last: the timer, the HTTP server and the other isolate did not wait for it.
    expect(order).toHaveLength(4);
    expect(order.at(-1)).toBe('loop stopped');
    expect(order).toEqual(expect.arrayContaining(['host timer fired', 'other answered 20', 'http pong']));
  });

  test('a loop after an await (in a continuation) is stopped too and fails the hooks waiting on it', async () => {
    const { agent, host } = await pool.start(
      `async function handleTask(agent, p) { await agent.publish('t', p); if (p === 'spin') { while (true) {} } return p; }`,
      { limits: FAST_CPU },
    );
    const err = await rejection(agent.handleTask('spin'));
    expect(err).toMatchObject({ phase: 'continuation', severity: 'critical' });
    expect(host.errors).toContainEqual(err.toEvent());
    expect(await agent.handleTask('ok')).toBe('ok');
  });

  test('a loop in a subscribe callback is stopped; later messages are still delivered', async () => {
    const { agent, host } = await pool.start(
      `async function setup(agent) { agent.subscribe('t', (m) => { if (m === 'spin') { while (true) {} } agent.state.last = m; }); }
       async function handleTask(agent) { return agent.state.last ?? null; }`,
      { limits: FAST_CPU },
    );
    host.emit('t', 'spin');
    host.emit('t', 'after');
    await eventually(async () => (await agent.handleTask(null)) === 'after', 'the message after the loop');
    expect(host.errors).toContainEqual(expect.objectContaining({ phase: 'subscription', severity: 'critical' }));
  });

  test('a loop at the top level fails start() with a critical load error', async () => {
    const { agent, host } = pool.create(`while (true) {}\nasync function setup() {}`, { limits: FAST_CPU });
    const err = await rejection(agent.start());
    expect(err).toMatchObject({ phase: 'load', severity: 'critical' });
    expect(host.errors).toEqual([err.toEvent()]);
    expect(agent.status).toBe('failed');
  });
});

describe('wall-clock limits (injected clock)', () => {
  test('handleTask is abandoned after 60 s, process after 120 s', async () => {
    const clock = new ManualClock();
    const host = new FakeAgentHost();
    host.llmReply = () => new Promise<string>(() => {});
    const { agent } = await pool.start(
      `async function handleTask(agent) { return agent.llm.chat('never answered'); }
       async function process(agent) { await agent.llm.chat('never answered'); }`,
      { clock, host },
    );
    let taskError: unknown;
    let processError: unknown;
    void agent.handleTask(null).catch((e: unknown) => (taskError = e));
    void agent.process().catch((e: unknown) => (processError = e));
    await eventually(() => host.llmRequests.length === 2, 'both hooks waiting on the LLM');
    await clock.advance(59_999);
    expect(taskError).toBeUndefined();
    await clock.advance(1);
    expect(taskError).toMatchObject({ phase: 'handleTask', severity: 'error', message: 'handleTask() did not finish within 60 s and was abandoned' });
    await clock.advance(60_000);
    expect(processError).toMatchObject({ phase: 'process', severity: 'error', message: 'process() did not finish within 120 s and was abandoned' });
    expect(host.errors.map((e) => e.phase)).toEqual(['handleTask', 'process']);
    expect(agent.status).toBe('running');
  });

  test('the limits are configurable', async () => {
    const clock = new ManualClock();
    const host = new FakeAgentHost();
    host.llmReply = () => new Promise<string>(() => {});
    const { agent } = await pool.start(`async function handleTask(agent) { return agent.llm.chat('x'); }`, { clock, host, limits: { handleTaskMs: 5000 } });
    const pending = rejection(agent.handleTask(null));
    await eventually(() => host.llmRequests.length === 1, 'the LLM call');
    await clock.advance(5000);
    expect((await pending).message).toBe('handleTask() did not finish within 5 s and was abandoned');
  });
});

describe('memory limit', () => {
  test('a memory bomb kills only its own isolate, reported as fatal', async () => {
    const bomb = await pool.start(`async function handleTask() { const keep = []; while (true) keep.push('x'.repeat(100000) + keep.length); }`, { limits: { memoryMb: 16, cpuPerEntryMs: 20_000 } });
    const bystander = await pool.start(`async function handleTask(agent, p) { return p; }`);
    const err = await rejection(bomb.agent.handleTask(null));
    expect(err).toMatchObject({ phase: 'isolate', severity: 'fatal' });
    expect(err.message).toContain('memory limit of 16 MB');
    expect(bomb.host.errors).toEqual([err.toEvent()]);
    expect(bomb.agent.status).toBe('dead');
    await expect(bomb.agent.handleTask(null)).rejects.toMatchObject({ severity: 'fatal' });
    expect(await bystander.agent.handleTask('still here')).toBe('still here');
  });
});

describe('sizes', () => {
  test('publish refuses a message over 256 KB, reports it, and sends nothing', async () => {
    const { agent, host } = await pool.start(`async function handleTask(agent, n) { try { await agent.publish('big', 'x'.repeat(n)); return 'sent'; } catch (e) { return e.message; } }`);
    expect(await agent.handleTask(300 * 1024)).toMatch(/^agent\.publish: the message for big is 300 KB, over the 256 KB limit/);
    expect(host.errors).toContainEqual(expect.objectContaining({ phase: 'sdk', severity: 'warning' }));
    // Larger than any call may carry: refused inside the isolate before crossing.
    expect(await agent.handleTask(5 * 1024 * 1024)).toMatch(/^this call carries \d+ bytes, over the limit/);
    expect(await agent.handleTask(1000)).toBe('sent');
    expect(host.published).toHaveLength(1);
  });

  test('task payloads, task results and persisted values are capped', async () => {
    const { agent } = await pool.start(`async function handleTask(agent, p) {
      if (p.kind === 'result') return 'y'.repeat(300 * 1024);
      if (p.kind === 'persist') { try { agent.persist('k', 'z'.repeat(300 * 1024)); return 'stored'; } catch (e) { return e.message; } }
      return 'ok';
    }`);
    await expect(agent.handleTask({ kind: 'in', pad: 'p'.repeat(300 * 1024) })).rejects.toThrow(/task payload is 300 KB, over the 256 KB limit/);
    await expect(agent.handleTask({ kind: 'result' })).rejects.toThrow(/returned more than 256 KB/);
    expect(await agent.handleTask({ kind: 'persist' })).toMatch(/^agent\.persist: the value for "k" is 300 KB, over the 256 KB limit/);
  });

  test('a bus message over the limit is dropped before it reaches the isolate', async () => {
    const { agent, host } = await pool.start(`async function setup(agent) { agent.subscribe('t', (m) => { agent.state.n = (agent.state.n ?? 0) + 1; }); }
      async function handleTask(agent) { return agent.state.n ?? 0; }`);
    host.emit('t', 'x'.repeat(300 * 1024));
    host.emit('t', 'small');
    await eventually(async () => (await agent.handleTask(null)) === 1, 'the small message');
    expect(agent.stats().droppedMessages).toBe(1);
    expect(host.errors).toContainEqual(expect.objectContaining({ phase: 'subscription', severity: 'warning', message: expect.stringContaining('was dropped') as unknown }));
  });
});

test('log flooding is rate-limited: the burst passes, the rest is dropped and counted, then announced', async () => {
  const clock = new ManualClock();
  const { agent, host } = await pool.start(`async function handleTask(agent, n) { for (let i = 0; i < n; i++) agent.log('line ' + i); return null; }`, { clock });
  await agent.handleTask(10_000);
  expect(host.logs).toHaveLength(100);
  expect(host.logs.at(-1)).toEqual({ level: 'info', message: 'line 99' });
  expect(agent.stats().droppedLogLines).toBe(9900);
  await clock.advance(1000);
  await agent.handleTask(1);
  expect(host.logs.slice(100)).toEqual([
    { level: 'warn', message: '9900 log lines were dropped (more than 20 per second)' },
    { level: 'info', message: 'line 0' },
  ]);
});

test('messages beyond the queue bound are dropped and counted, with one warning', async () => {
  const host = new FakeAgentHost();
  host.llmReply = () => new Promise<string>(() => {});
  const { agent } = await pool.start(`async function setup(agent) { agent.subscribe('t', async () => { await agent.llm.chat('slow'); }); }`, { host, limits: { maxQueuedMessages: 5 } });
  host.emit('t', 0);
  await eventually(() => host.llmRequests.length === 1, 'the first callback to start');
  for (let i = 1; i < 10; i++) host.emit('t', i);
  expect(agent.stats().droppedMessages).toBe(4);
  expect(host.errors.filter((e) => e.message.includes('faster than the agent handles them'))).toHaveLength(1);
});

test('recursive sendTo between two agents stops at the hop limit; both agents stay healthy', async () => {
  const agents = new Map<string, SandboxedAgent>();
  const code = (other: string) => `async function handleTask(agent, p) {
    if (p === 'ping') return 'pong';
    return agent.sendTo('${other}', p + 1);
  }`;
  for (const [name, other] of [['a', 'b'], ['b', 'a']] as const) {
    const host = new FakeAgentHost();
    host.sendToHandler = (target, payload, options) => agents.get(target)!.handleTask(payload, { hops: options.hops });
    const { agent } = await pool.start(code(other), { name, host });
    agents.set(name, agent);
  }
  const err = await rejection(agents.get('a')!.handleTask(0));
  expect(err.message).toContain('hop limit reached (8 agent-to-agent hops)');
  expect(await agents.get('a')!.handleTask('ping')).toBe('pong');
  expect(await agents.get('b')!.handleTask('ping')).toBe('pong');
});
