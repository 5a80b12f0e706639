// Budget reservations: every call holds what it may cost from admission until its ledger row
// replaces it (or it fails or is cancelled), so calls made at the same time see each other and
// cannot all pass a cap that only one of them fits under.
import { afterEach, describe, expect, it } from 'vitest';
import { LlmConversation } from '../../../server/src/llm/conversation/conversation.ts';
import { ConversationStore } from '../../../server/src/llm/conversation/store.ts';
import { LlmError } from '../../../server/src/llm/errors.ts';
import { estimateCostUsd } from '../../../server/src/llm/estimate.ts';
import { priceFor } from '../../../server/src/llm/pricing.ts';
import { Reservations } from '../../../server/src/llm/reservations.ts';
import type { LlmService } from '../../../server/src/llm/service.ts';
import { reply, type FakeReply } from '../../helpers/fake-llm/index.ts';
import { harness, type Harness } from './harness.ts';

const HI = [{ role: 'user' as const, content: 'hello' }];
/** gpt-4o, 'hello' with 1000 tokens allowed: 5 input tokens at $2.50 + 1000 output at $10 per million. */
const ESTIMATE = 0.0100125;
const dailyCap = (usd: number) => ({ budget: { dailyUsd: usd, weeklyUsd: undefined, monthlyUsd: undefined } });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Holds every request at the fake server until `open()`; then answers each with `answer`. */
function gate(h: Harness, answer: FakeReply) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  h.fake.respond(async () => {
    await opened;
    return answer;
  });
  return { open };
}

const held = (h: Harness) => {
  const s = h.llm.budget.status();
  return { inFlight: s.inFlight, reservedUsd: s.periods[0].reservedUsd, spentUsd: s.periods[0].spentUsd };
};

const settled = <T>(p: Promise<T>) => p.then(
  (value) => ({ ok: true as const, value }),
  (error: unknown) => ({ ok: false as const, error }),
);

describe('the Reservations ledger', () => {
  it('sums what is held, counts calls in flight, and releases each once', () => {
    const r = new Reservations();
    const a = r.reserve(0.1);
    const b = r.reserve(0.2);
    const free = r.reserve(0);
    expect(r.usd).toBeCloseTo(0.3, 12);
    expect(r.count).toBe(3);
    a.release();
    a.release();
    expect(r.usd).toBeCloseTo(0.2, 12);
    b.release();
    free.release();
    expect([r.usd, r.count]).toEqual([0, 0]);
    expect(() => r.reserve(-1)).toThrow(RangeError);
    expect(() => r.reserve(Number.NaN)).toThrow(RangeError);
  });
});

describe('reserve and settle', () => {
  it('a call in flight holds its estimate; its ledger row replaces it when it ends', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    const g = gate(h, reply.text('ok', { usage: { input: 6, output: 500 } }));
    const call = h.llm.complete({ callSite: 'agent', agent: 'energy', messages: HI, maxTokens: 1000 });
    await h.fake.waitForRequest(1);

    const during = h.llm.budget.status();
    expect(during.inFlight).toBe(1);
    expect(during.periods.map((p) => [p.spentUsd, p.reservedUsd])).toEqual(Array(3).fill([0, ESTIMATE]));
    expect(ESTIMATE).toBe(estimateCostUsd({ messages: HI, maxTokens: 1000 }, priceFor('openai', 'gpt-4o')));

    g.open();
    expect((await call).costUsd).toBe(0.005015);
    const after = h.llm.budget.status();
    expect(after.inFlight).toBe(0);
    expect(after.periods[0]).toMatchObject({ spentUsd: 0.005015, reservedUsd: 0 });
  });

  it('a failed call releases its reservation and records nothing', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    h.fake.enqueue(reply.error(400, { message: 'bad model' }));
    await expect(h.llm.complete({ callSite: 'agent', messages: HI })).rejects.toThrow(LlmError);
    expect(held(h)).toEqual({ inFlight: 0, reservedUsd: 0, spentUsd: 0 });
    expect(h.llm.ledger.recent()).toEqual([]);
  });

  it('a cancelled call releases its reservation', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    h.fake.enqueue(reply.hang());
    const abort = new AbortController();
    const call = settled(h.llm.complete({ callSite: 'agent', messages: HI, signal: abort.signal }));
    await h.fake.waitForRequest(1);
    expect(h.llm.budget.status().inFlight).toBe(1);
    abort.abort();
    const r = await call;
    expect(r.ok ? undefined : (r.error as LlmError).kind).toBe('aborted');
    expect(held(h)).toEqual({ inFlight: 0, reservedUsd: 0, spentUsd: 0 });
  });

  it('a model missing from the price table holds nothing but is counted in flight', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(1) });
    const g = gate(h, reply.text('ok'));
    const call = h.llm.complete({ callSite: 'agent', model: 'gpt-6-preview', messages: HI });
    await h.fake.waitForRequest(1);
    expect(held(h)).toEqual({ inFlight: 1, reservedUsd: 0, spentUsd: 0 });
    g.open();
    expect((await call).costUsd).toBeNull();
  });
});

describe('concurrent calls under a cap', () => {
  it('admits only the calls whose estimates fit beside those in flight; the rest get a clear refusal', async () => {
    // Two estimates ($0.020025) fit under $0.025, a third does not.
    h = await harness({ provider: 'openai', config: dailyCap(0.025) });
    const g = gate(h, reply.text('ok', { usage: { input: 6, output: 1000 } }));
    const calls = Array.from({ length: 5 }, () => settled(h!.llm.complete({ callSite: 'agent', agent: 'energy', messages: HI, maxTokens: 1000 })));
    await h.fake.waitForRequest(2);
    g.open();
    const results = await Promise.all(calls);

    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(h.fake.requests).toHaveLength(2);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r.error).toBeInstanceOf(LlmError);
      expect((r.error as LlmError).kind).toBe('budget');
      expect((r.error as LlmError).message).toBe(
        'The daily LLM budget has no room for this call: $0.00 of $0.025 is spent and $0.02 is held by calls in progress; ' +
          'this call may cost up to $0.01. Try again when they finish, raise the cap in the settings, or set LLM_FALLBACK (e.g. ollama:llama3) to keep going on a local model.',
      );
    }
    expect(h.llm.budget.status().periods[0]).toMatchObject({ spentUsd: 0.02003, reservedUsd: 0 });
  });

  it('one call at a time still goes while the cap is not reached, even when its estimate is larger than what is left', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(0.03) });
    h.fake.enqueue(reply.text('one', { usage: { input: 6, output: 2000 } }), reply.text('two', { usage: { input: 6, output: 2000 } }));
    // No max tokens: the estimate is 4096 output tokens, $0.041, over the whole cap.
    expect((await h.llm.complete({ callSite: 'conversation', messages: HI })).text).toBe('one');
    expect((await h.llm.complete({ callSite: 'conversation', messages: HI })).text).toBe('two');
    await expect(h.llm.complete({ callSite: 'conversation', messages: HI })).rejects.toThrow(/^The daily LLM budget is spent \(\$0\.04 of \$0\.03\)/);
  });

  it('a call with no room moves to the configured fallback, recorded as such', async () => {
    h = await harness({ provider: 'openai', config: { ...dailyCap(0.015), fallback: 'ollama:llama3' } });
    h.fake.respond((req) => (req.protocol === 'ollama' ? reply.text('local') : reply.hang()));
    const first = settled(h.llm.complete({ callSite: 'agent', messages: HI, maxTokens: 1000 }));
    await h.fake.waitForRequest(1);
    const second = await h.llm.complete({ callSite: 'agent', agent: 'energy', messages: HI, maxTokens: 1000 });
    expect(second).toMatchObject({ text: 'local', provider: 'ollama', fallback: true });
    expect(h.llm.ledger.recent()).toEqual([expect.objectContaining({ agent: 'energy', provider: 'ollama', fallback: true, costUsd: 0 })]);
    await h.fake.close();
    await first;
  });

  it('free models are never refused, whatever is in flight', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(0.011) });
    h.fake.respond((req) => (req.protocol === 'ollama' ? reply.text('local') : reply.hang()));
    const first = settled(h.llm.complete({ callSite: 'agent', messages: HI, maxTokens: 1000 }));
    await h.fake.waitForRequest(1);
    await expect(h.llm.complete({ callSite: 'agent', model: 'ollama:llama3', messages: HI })).resolves.toMatchObject({ text: 'local' });
    await h.fake.close();
    await first;
  });
});

/** Every way the rest of the system reaches an LLM (as in budget.test.ts). */
function callPaths(llm: LlmService, h: Harness): [string, () => Promise<unknown>][] {
  const conversation = new LlmConversation({ id: 'main', agent: 'main', llm, store: new ConversationStore(h.db, h.clock) });
  return [
    ['chat', () => llm.complete({ callSite: 'conversation', agent: 'main', messages: HI })],
    ['chat stream', async () => {
      for await (const _ of llm.stream({ callSite: 'conversation', agent: 'main', messages: HI })) void _;
    }],
    ['chat with tools', () => llm.complete({ callSite: 'conversation', agent: 'main', messages: HI, tools: [{ name: 'get_state', description: 'Reads an entity.', parameters: { type: 'object' } }] })],
    ['planner', () => llm.complete({ callSite: 'planner', agent: 'planner', messages: HI })],
    ["agents' llm.chat", () => llm.chat('summarise the energy use', { callSite: 'agent', agent: 'energy-tracker' })],
    ['classifier', () => llm.complete({ callSite: 'classifier', agent: 'main', messages: HI, maxTokens: 5 })],
    ['fact extraction', () => llm.complete({ callSite: 'facts', agent: 'main', messages: HI, maxTokens: 600 })],
    ['summary', () => llm.complete({ callSite: 'summary', agent: 'main', messages: HI, maxTokens: 800 })],
    ['LLM agent conversation', () => conversation.send('hello')],
  ];
}

describe('every call path', () => {
  it('holds a reservation while in flight and releases it when done', async () => {
    h = await harness({ provider: 'openai', config: dailyCap(10) });
    for (const [name, call] of callPaths(h.llm, h)) {
      const g = gate(h, reply.text('ok'));
      const n = h.fake.requests.length + 1;
      const done = call();
      await h.fake.waitForRequest(n);
      const during = h.llm.budget.status();
      expect(during.inFlight, name).toBe(1);
      expect(during.periods[0].reservedUsd, name).toBeGreaterThan(0);
      g.open();
      await done;
      expect(held(h), name).toMatchObject({ inFlight: 0, reservedUsd: 0 });
    }
  });
});
