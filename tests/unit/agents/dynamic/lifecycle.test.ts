// A DynamicAgent's hooks on its mailbox and what its supervisor does with sandbox errors: process()
// on the injected clock (never while paused), failed hooks that leave the agent running, runaways
// restarted within the budget, broken starts never restarted in a loop, cleanup on stop.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { executeCommand } from '../../../../server/src/core/commands.ts';
import { dyn, makeAgentsEnv, until, type AgentsEnv } from '../spawner/fixtures.ts';

let env: AgentsEnv;
beforeEach(async () => {
  env = await makeAgentsEnv({ limits: { cpuPerEntryMs: 50 } });
});
afterEach(async () => {
  await env.close();
});

const COUNTER = `
async function process(agent) { agent.persist('ticks', agent.recall('ticks', 0) + 1); }
async function handleTask(agent) { return agent.recall('ticks', 0); }
async function cleanup(agent) { agent.persist('cleaned', true); }`;

const ticks = () => env.system.ask<number>('counter', {});

test('process() runs at start and then every poll_interval of the injected clock', async () => {
  await env.agents.spawner.spawn(dyn('counter', COUNTER, { poll_interval: 30 }), { by: 'llm' });
  await until(ticks, (n) => n === 1, 'the first process()');
  await env.clock.advance(29_000);
  expect(await ticks()).toBe(1);
  await env.clock.advance(1_000);
  await until(ticks, (n) => n === 2, 'the second process()');
  await env.clock.advance(60_000);
  await until(ticks, (n) => n === 4, 'two more');
});

test('a paused agent does not run process(); resumed, it does again', async () => {
  await env.agents.spawner.spawn(dyn('counter', COUNTER, { poll_interval: 10 }), { by: 'llm' });
  await until(ticks, (n) => n === 1, 'the first process()');
  expect(await executeCommand(env.system, 'counter', { command: 'pause' })).toMatchObject({ status: 'ok' });
  await env.clock.advance(100_000);
  expect(env.system.store.get('counter', 'ticks')).toBe(1);
  expect(await executeCommand(env.system, 'counter', { command: 'resume' })).toMatchObject({ status: 'ok' });
  await env.clock.advance(10_000);
  await until(ticks, (n) => n === 2, 'process() after resume');
});

test('cleanup() runs when the agent stops, and its poll timer is released', async () => {
  const idle = env.clock.pending();
  await env.agents.spawner.spawn(dyn('counter', COUNTER), { by: 'llm' });
  await until(ticks, (n) => n === 1, 'the first process()');
  expect(env.clock.pending()).toBe(idle + 1);
  await env.system.stopActor('counter');
  expect(env.system.store.get('counter', 'cleaned')).toBe(true);
  expect(env.clock.pending()).toBe(idle);
});

test('a process() that throws is reported on agents/{id}/errors and the agent keeps running', async () => {
  await env.agents.spawner.spawn(dyn('grumpy', 'async function process() { throw new Error("sensor offline"); }\nasync function handleTask() { return "alive"; }'), { by: 'llm' });
  await until(async () => env.bus.sentTo('wactorz/agents/grumpy/errors') as { phase: string }[], (e) => e.some((x) => x.phase === 'process'), 'the process error');
  const error = (env.bus.sentTo('wactorz/agents/grumpy/errors') as { phase: string; severity: string; message: string }[]).find((e) => e.phase === 'process');
  expect(error).toMatchObject({ severity: 'degraded', message: expect.stringContaining('process() threw Error: sensor offline') as unknown });
  expect(await env.system.ask('grumpy', {})).toBe('alive');
  expect(env.system.get('grumpy')?.state).toBe('running');
});

test('a runaway process() (CPU limit) fails the agent; it is restarted until its budget is spent, then it gives up', async () => {
  await env.agents.spawner.spawn(dyn('spinner', 'async function setup(agent) { agent.persist("starts", agent.recall("starts", 0) + 1); }\nasync function process() { while (true) {} }'), { by: 'llm' });
  await until(async () => env.bus.sentTo('wactorz/agents/spinner/alert') as { type: string }[], (a) => a.some((x) => x.type === 'gave_up'), 'the give-up alert');
  expect(env.system.store.get('spinner', 'starts')).toBe(4); // the spawn and three restarts
  expect(env.system.get('spinner')?.state).toBe('failed');
  const errors = env.bus.sentTo('wactorz/agents/spinner/errors') as { severity: string; phase: string }[];
  expect(errors.some((e) => e.severity === 'critical' && e.phase === 'process')).toBe(true);
  // The rest of the system is untouched.
  await env.agents.spawner.spawn(dyn('counter', COUNTER), { by: 'llm' });
  await until(ticks, (n) => n === 1, 'another agent working');
});

test('a setup that fails at a restart is final: the agent is not restarted in a loop', async () => {
  const code = `
async function setup(agent) {
  const n = agent.recall('starts', 0) + 1;
  agent.persist('starts', n);
  if (n > 1) throw new Error('token expired');
}
async function handleTask(agent, p) { if (p.spin) { while (true) {} } return 'ok'; }`;
  await env.agents.spawner.spawn(dyn('fragile', code), { by: 'llm' });
  await env.system.ask('fragile', { spin: true }).catch(() => undefined);
  await until(async () => env.bus.sentTo('wactorz/agents/fragile/alert') as { type: string }[], (a) => a.some((x) => x.type === 'gave_up'), 'the give-up alert');
  expect(env.system.store.get('fragile', 'starts')).toBe(2);
  expect(env.system.get('fragile')?.state).toBe('failed');
});

test('a task that fails is answered with the error; the agent keeps running', async () => {
  await env.agents.spawner.spawn(dyn('picky', 'async function handleTask(agent, p) { if (!p.city) throw new TypeError("city is required"); return p.city; }'), { by: 'llm' });
  const failed = JSON.parse(JSON.stringify(await env.system.ask('picky', {}))) as { error: string };
  expect(failed.error).toContain('handleTask() threw TypeError: city is required');
  expect(await env.system.ask('picky', { city: 'Athens' })).toBe('Athens');
});

test('Date in agent code is the system clock, so due times follow the injected clock', async () => {
  await env.agents.spawner.spawn(dyn('timekeeper', 'async function handleTask() { return [Date.now(), new Date().getTime(), typeof Date(), new Date(0).getTime(), new Date() instanceof Date, Date.UTC(2020, 0, 1)]; }'), { by: 'llm' });
  expect(await env.system.ask('timekeeper', {})).toEqual([env.clock.now(), env.clock.now(), 'string', 0, true, Date.UTC(2020, 0, 1)]);
  await env.clock.advance(5_000);
  expect(((await env.system.ask<number[]>('timekeeper', {}))[0])).toBe(env.clock.now());
});

test('an agent stopped while its setup() is still running leaves no isolate, poll timer or subscription behind', async () => {
  const idleTimers = env.clock.pending();
  const idleSubs = env.bus.stats().subscriptions;
  const code = `
async function setup(agent) { agent.subscribe('custom/x', () => {}); await agent.sleep(5000); }
async function process(agent) { agent.persist('ticks', agent.recall('ticks', 0) + 1); }`;
  const spawning = env.agents.spawner.spawn(dyn('sleepy', code), { by: 'llm' }).then(
    () => 'spawned',
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
  // setup() has subscribed: it is running, and about to sleep.
  await until(async () => env.bus.stats().subscriptions, (n) => n > idleSubs, 'setup() running');
  await env.system.stopActor('sleepy');
  // The sleep's timer may be registered only now (the isolate runs on its own thread): keep the
  // manual clock moving until the spawn settles, instead of assuming when that happens.
  let outcome: string | undefined;
  void spawning.then((o) => (outcome = o));
  for (let i = 0; i < 500 && outcome === undefined; i++) {
    await env.clock.advance(5_000);
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(outcome).toContain('did not start');
  await env.clock.advance(60_000);
  expect(env.system.store.get('sleepy', 'ticks')).toBeUndefined();
  expect(env.clock.pending()).toBe(idleTimers);
  expect(env.bus.stats().subscriptions).toBe(idleSubs);
});
