// Bounds on the async host calls one agent has pending at once (issue 12, finding 5): past the
// bound a call fails at once with a message saying what to do, nothing queues, what was accepted
// still completes, and stopping the agent releases every pending call.
import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { SdkError } from '../../../server/src/sandbox/errors.ts';
import { DEFAULT_LIMITS, resolveLimits } from '../../../server/src/sandbox/limits.ts';
import { isolatePendingLimits, PendingCalls } from '../../../server/src/sandbox/pending.ts';
import { SDK_FUNCTIONS, findSdkFunction } from '../../../server/src/sandbox/sdk/index.ts';
import { sdkReference } from '../../../server/src/sandbox/sdk/reference.ts';
import type { SandboxErrorEvent } from '../../../server/src/sandbox/types.ts';
import { AgentPool, eventually } from '../../helpers/fake-agent-host.ts';

const pool = new AgentPool();
afterEach(() => pool.stopAll());

const sleepFn = findSdkFunction('sleep')!;
const llmFn = findSdkFunction('llm.chat')!;

/**
 * handleTask starting p.count calls of `call` (an expression over agent, p and i) in one loop:
 * how many were accepted (their promises kept in agent.state.settle), how many refused, and why.
 * Refusals throw at once, so the loop counts them without awaiting anything.
 */
const flood = (call: string): string => `
async function handleTask(agent, p) {
  if (p.settle) return (await agent.state.settle).map((s) => s.status);
  const accepted = [];
  let refused = 0;
  let message = '';
  for (let i = 0; i < p.count; i++) {
    try { accepted.push(${call}); } catch (e) { refused++; message = e.message; }
  }
  agent.state.settle = Promise.allSettled(accepted);
  return { accepted: accepted.length, refused, message };
}`;

describe('PendingCalls (host-side count)', () => {
  test('takes slots up to the bound, refuses past it, and reports the refusal once per run', () => {
    const events: SandboxErrorEvent[] = [];
    const pending = new PendingCalls(resolveLimits({ maxPendingCalls: 2 }), (e) => events.push(e));
    const a = pending.enter(sleepFn);
    const b = pending.enter(sleepFn);
    expect(() => pending.enter(sleepFn)).toThrow(new SdkError('agent.sleep: at most 2 calls pending at once; await them before starting more'));
    expect(() => pending.enter(sleepFn)).toThrow(SdkError);
    expect(events).toEqual([{ phase: 'sdk', severity: 'warning', message: 'agent.sleep: at most 2 calls pending at once; await them before starting more' }]);
    a();
    a(); // giving a slot back twice gives back one
    expect(pending.count('sleep')).toBe(1);
    const c = pending.enter(sleepFn);
    expect(() => pending.enter(sleepFn)).toThrow(SdkError);
    expect(events).toHaveLength(2); // a new run of refusals is reported again
    b();
    c();
    expect(pending.count('sleep')).toBe(0);
  });

  test('each function has its own count; heavy ones (llm.chat, http.fetch, camera, sendToMany) a tighter bound', () => {
    const pending = new PendingCalls(resolveLimits({ maxPendingCalls: 3, maxPendingHeavyCalls: 1 }), () => {});
    pending.enter(llmFn);
    expect(() => pending.enter(llmFn)).toThrow('agent.llm.chat: at most 1 calls pending at once');
    for (let i = 0; i < 3; i++) pending.enter(sleepFn);
    const heavy = SDK_FUNCTIONS.filter((f) => f.heavy === true).map((f) => f.name).sort();
    expect(heavy).toEqual(['ha.cameraSnapshot', 'http.fetch', 'llm.chat', 'sendToMany']);
  });

  test('the isolate gets a bound for every async function and for nothing else', () => {
    const limits = isolatePendingLimits(SDK_FUNCTIONS, DEFAULT_LIMITS);
    expect(Object.keys(limits).sort()).toEqual(SDK_FUNCTIONS.filter((f) => f.mode === 'async').map((f) => f.name).sort());
    expect(limits.sleep).toEqual({ limit: 100, message: 'agent.sleep: at most 100 calls pending at once; await them before starting more' });
    expect(limits['llm.chat']?.limit).toBe(8);
  });
});

test('the SDK reference the LLM reads states the bound and what to do about it', () => {
  const ref = sdkReference();
  expect(ref).toContain('at most 100 calls pending at once per agent (8 for llm.chat, http.fetch, ha.cameraSnapshot and sendToMany); past that the call throws at once');
  expect(ref).toContain('at most 100 sleeps pending at once');
});

describe('an agent flooding host calls', () => {
  test('100,000 sleeps: the first 100 are accepted and resolve, the rest fail at once with the bound in the message', async () => {
    const clock = new ManualClock();
    const { agent, host } = await pool.start(flood('agent.sleep(59000)'), { clock, limits: { cpuPerEntryMs: 5000 } });
    const result = await agent.handleTask({ count: 100_000 });
    expect(result).toEqual({ accepted: 100, refused: 99_900, message: 'agent.sleep: at most 100 calls pending at once; await them before starting more' });
    // One timer per accepted sleep, nothing for the refused ones.
    expect(clock.pending()).toBe(100);
    // Reported once, not 99,900 times.
    expect(host.errors.filter((e) => e.message.startsWith('agent.sleep: at most'))).toHaveLength(1);
    // Nothing accepted is lost: all 100 wake up.
    const settled = agent.handleTask({ settle: true });
    await clock.advance(59_000);
    expect(await settled).toEqual(Array(100).fill('fulfilled'));
    expect(clock.pending()).toBe(0);
    expect(await agent.handleTask({ count: 100 })).toMatchObject({ accepted: 100, refused: 0 });
  });

  test('once some calls settle, new ones are accepted again', async () => {
    const clock = new ManualClock();
    const { agent } = await pool.start(flood('agent.sleep(p.ms)'), { clock, limits: { maxPendingCalls: 5 } });
    expect(await agent.handleTask({ count: 8, ms: 1000 })).toMatchObject({ accepted: 5, refused: 3 });
    await clock.advance(1000);
    await eventually(() => clock.pending() === 0, 'the sleeps to end');
    expect(await agent.handleTask({ count: 8, ms: 1000 })).toMatchObject({ accepted: 5, refused: 3 });
  });

  test('sleeps at the bound do not block other kinds of calls', async () => {
    const clock = new ManualClock();
    const { agent, host } = await pool.start(
      `async function handleTask(agent, p) {
        if (p === 'fill') { for (let i = 0; i < 10; i++) agent.sleep(50000); return 'filled'; }
        let refused = ''; try { await agent.sleep(1); } catch (e) { refused = e.message; }
        await agent.publish('custom/ok', 1);
        return [refused, await agent.llm.chat('hi')];
      }`,
      { clock, limits: { maxPendingCalls: 10 } },
    );
    await agent.handleTask('fill');
    expect(await agent.handleTask('other')).toEqual(['agent.sleep: at most 10 calls pending at once; await them before starting more', 'echo: hi']);
    expect(host.published).toEqual([{ topic: 'custom/ok', payload: 1 }]);
  });

  test('heavy calls have the tighter bound: the 9th pending llm.chat is refused', async () => {
    const { agent, host } = await pool.start(flood('agent.llm.chat("q" + i)'));
    const gates: (() => void)[] = [];
    host.llmReply = () => new Promise<string>((resolve) => gates.push(() => resolve('done')));
    expect(await agent.handleTask({ count: 50 })).toEqual({ accepted: 8, refused: 42, message: 'agent.llm.chat: at most 8 calls pending at once; await them before starting more' });
    await eventually(() => gates.length === 8, 'eight LLM requests on the host');
    expect(host.llmRequests).toHaveLength(8);
    for (const open of gates) open();
  });

  test('stopping the agent releases every pending call: timers cancelled, host requests aborted', async () => {
    const clock = new ManualClock();
    const { agent, host } = await pool.start(
      `async function handleTask(agent) { for (let i = 0; i < 100; i++) agent.sleep(59000).catch(() => {}); for (let i = 0; i < 8; i++) agent.llm.chat('q').catch(() => {}); return 'started'; }`,
      { clock },
    );
    const signals: AbortSignal[] = [];
    host.llmReply = (_r, signal) => {
      signals.push(signal);
      return new Promise<string>(() => {});
    };
    await agent.handleTask(null);
    await eventually(() => clock.pending() === 100 && signals.length === 8, 'the calls to be pending');
    // Each call has a signal of its own (no listener pile-up on one shared signal).
    expect(new Set(signals).size).toBe(8);
    await agent.stop();
    expect(clock.pending()).toBe(0);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  test('agent code cannot lift the bound by tampering with built-ins', async () => {
    const clock = new ManualClock();
    const { agent } = await pool.start(
      `Map.prototype.get = function () { return undefined; };
       Object.prototype.limit = 1e9;
       Object.defineProperty(Object.prototype, 'sleep', { get() { return undefined; }, configurable: true });
       ${flood('agent.sleep(1000)')}`,
      { clock, limits: { maxPendingCalls: 3 } },
    );
    expect(await agent.handleTask({ count: 10 })).toMatchObject({ accepted: 3, refused: 7 });
    expect(clock.pending()).toBe(3);
  });
});
