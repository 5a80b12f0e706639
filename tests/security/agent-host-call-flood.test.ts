// Issue 12, finding 5: one agent can freeze the add-on. 50,000 pending `agent.sleep(59 s)` calls
// from one agent left the API unresponsive for 40 s (100,000: about 6 minutes, then the watchdog
// restarted every system actor). Replayed with an LLM-written agent spawned through the real
// spawner on a real (aedes) broker: it starts 100,000 sleeps; past the bound they are refused at
// once, while the 100 accepted ones are pending another agent and the HTTP API keep answering
// (counted, not timed), the accepted sleeps all wake up, and stopping the agent releases them.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/src/sandbox/limits.ts';
import { eventually, startWorld, type AgentWorld } from '../helpers/agent-world.ts';
import { buildTestApp, type TestApp } from '../helpers/http-app.ts';

let world: AgentWorld;
let api: TestApp;
let apiUrl = '';

const FLOOD = `
async function handleTask(agent, p) {
  if (p.op === 'settle') {
    const outcomes = await Promise.allSettled(agent.state.accepted);
    return outcomes.map((o) => o.status);
  }
  agent.state.accepted = [];
  let refused = 0;
  let message = '';
  for (let i = 0; i < p.count; i++) {
    try {
      agent.state.accepted.push(agent.sleep(59000));
    } catch (e) {
      refused++;
      message = e.message;
    }
  }
  return { accepted: agent.state.accepted.length, refused, message };
}`;

const HELPER = `
async function handleTask(agent, n) {
  await agent.publish('custom/doubled', { n });
  return n * 2;
}`;

const BOUND = DEFAULT_LIMITS.maxPendingCalls;

beforeAll(async () => {
  // 100,000 refusals in one loop cost the flooding isolate a few hundred ms of its own CPU; the
  // per-entry CPU limit is raised so that a loaded test machine cannot cut the loop short (the
  // isolate runs on its own thread either way: the event loop is not what that limit protects).
  world = await startWorld({ limits: { cpuPerEntryMs: 10_000 } });
  await world.agents.spawner.spawn({ name: 'flood', type: 'dynamic', code: FLOOD, description: 'waits a lot' } as never, { by: 'llm' });
  await world.agents.spawner.spawn({ name: 'helper', type: 'dynamic', code: HELPER, description: 'doubles numbers' } as never, { by: 'llm' });
  api = await buildTestApp();
  apiUrl = await api.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await api.close();
  await world.close();
});

test('100,000 sleeps: the bound is enforced at once, others keep answering, and the accepted sleeps all wake up', async () => {
  const timersBefore = world.clock.pending();
  const flood = world.system.ask<{ accepted: number; refused: number; message: string }>('flood', { op: 'start', count: 100_000 }, { timeoutMs: 30_000 });
  // While the flood runs and while its sleeps are pending: another agent's tasks and HTTP requests.
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => world.system.ask<number>('helper', i, { timeoutMs: 30_000 })));
  const health = await Promise.all(Array.from({ length: 20 }, () => fetch(`${apiUrl}/api/health`).then((r) => r.status)));
  expect(await flood).toEqual({ accepted: BOUND, refused: 100_000 - BOUND, message: `agent.sleep: at most ${BOUND} calls pending at once; await them before starting more` });
  expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  expect(health).toEqual(Array(20).fill(200));
  // One timer per accepted sleep on the host, none for a refused one.
  expect(world.clock.pending() - timersBefore).toBe(BOUND);
  // With the sleeps pending, the system still answers.
  expect(await world.system.ask<number>('helper', 21, { timeoutMs: 30_000 })).toBe(42);
  expect((await fetch(`${apiUrl}/api/health`)).status).toBe(200);

  // The refusal is reported on the agent's errors topic once, not 99,900 times.
  await eventually(() => world.on('agents/flood/errors').some((s) => JSON.stringify(s.payload).includes('agent.sleep: at most')), 'the refusal on agents/flood/errors');

  // Nothing accepted is lost: all of them wake up after 59 s.
  const settled = world.system.ask<string[]>('flood', { op: 'settle' }, { timeoutMs: 120_000 });
  await world.clock.advance(59_000);
  expect(await settled).toEqual(Array(BOUND).fill('fulfilled'));
  expect(world.on('agents/flood/errors').filter((s) => JSON.stringify(s.payload).includes('agent.sleep: at most'))).toHaveLength(1);
});

test('stopping a flooding agent releases every pending sleep', async () => {
  const timersBefore = world.clock.pending();
  expect(await world.system.ask('flood', { op: 'start', count: 1000 }, { timeoutMs: 30_000 })).toMatchObject({ accepted: BOUND, refused: 1000 - BOUND });
  expect(world.clock.pending() - timersBefore).toBe(BOUND);
  await world.agents.spawner.delete('flood');
  // Its poll and heartbeat timers go too, so at least the sleeps are gone.
  expect(world.clock.pending()).toBeLessThanOrEqual(timersBefore);
  expect(await world.system.ask<number>('helper', 5, { timeoutMs: 30_000 })).toBe(10);
});
