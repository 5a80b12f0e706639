// The spending cap holds on every call path (the original's did not): chat, planner, agents'
// llm.chat, classifier, fact extraction, summaries, streams and conversations all refuse with
// the same clear message once a cap is spent, or all move to the configured fallback model.
import { afterEach, describe, expect, it } from 'vitest';
import type { BudgetEvent } from '../../../server/src/llm/budget.ts';
import { LlmConversation } from '../../../server/src/llm/conversation/conversation.ts';
import { ConversationStore } from '../../../server/src/llm/conversation/store.ts';
import { createLlm } from '../../../server/src/llm/create.ts';
import { LlmError } from '../../../server/src/llm/errors.ts';
import type { LlmService } from '../../../server/src/llm/service.ts';
import { openDatabase } from '../../../server/src/store/database.ts';
import { LLM_MIGRATIONS } from '../../../server/src/store/migrations/llm.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { harness, type Harness } from './harness.ts';

const HI = [{ role: 'user' as const, content: 'hello' }];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** One gpt-4o call of `usd` dollars (output tokens at $10 per million). */
const costing = (usd: number) => reply.text('ok', { usage: { input: 0, output: Math.round(usd * 100_000) } });

/** Every way the rest of the system reaches an LLM. */
function callPaths(llm: LlmService, h: Harness): [string, () => Promise<unknown>][] {
  const conversation = new LlmConversation({ id: 'main', agent: 'main', llm, store: new ConversationStore(h.db, h.clock) });
  return [
    ['chat', () => llm.complete({ callSite: 'conversation', agent: 'main', messages: HI })],
    ['chat stream', async () => {
      for await (const _ of llm.stream({ callSite: 'conversation', agent: 'main', messages: HI })) void _;
    }],
    ['planner', () => llm.complete({ callSite: 'planner', agent: 'planner', messages: HI })],
    ["agents' llm.chat", () => llm.chat('summarise the energy use', { callSite: 'agent', agent: 'energy-tracker' })],
    ['classifier', () => llm.complete({ callSite: 'classifier', agent: 'main', messages: HI })],
    ['fact extraction', () => llm.complete({ callSite: 'facts', agent: 'main', messages: HI })],
    ['summary', () => llm.complete({ callSite: 'summary', agent: 'main', messages: HI })],
    ['LLM agent conversation', () => conversation.send('hello')],
  ];
}

describe('at the cap', () => {
  it('every call path refuses with a clear message and sends nothing', async () => {
    h = await harness({ provider: 'openai', config: { budget: { dailyUsd: 0.5, weeklyUsd: undefined, monthlyUsd: undefined } } });
    h.fake.enqueue(costing(0.6));
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    const sent = h.fake.requests.length;

    for (const [name, call] of callPaths(h.llm, h)) {
      const err = await call().then(
        () => new Error(`${name} was not refused`),
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(LlmError);
      expect((err as LlmError).kind, name).toBe('budget');
      expect((err as LlmError).message, name).toMatch(/^The daily LLM budget is spent \(\$0\.60 of \$0\.50\)\. LLM calls resume on .*LLM_FALLBACK/);
    }
    expect(h.fake.requests).toHaveLength(sent);
  });

  it('every call path moves to the configured fallback, recorded as such', async () => {
    h = await harness({ provider: 'openai', config: { fallback: 'ollama:llama3', budget: { dailyUsd: 0.5, weeklyUsd: undefined, monthlyUsd: undefined } } });
    h.fake.enqueue(costing(0.6));
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    h.fake.respond(() => reply.text('local answer'));

    for (const [name, call] of callPaths(h.llm, h)) await expect(call(), name).resolves.not.toThrow();

    const after = h.fake.requests.slice(1);
    expect(after.map((r) => `${r.protocol}:${r.model}`)).toEqual(Array(8).fill('ollama:llama3'));
    const fallbackCalls = h.llm.ledger.recent(20).filter((e) => e.fallback);
    expect(fallbackCalls).toHaveLength(8);
    expect(fallbackCalls.every((e) => e.provider === 'ollama' && e.costUsd === 0)).toBe(true);
    expect(new Set(fallbackCalls.map((e) => e.callSite))).toEqual(new Set(['conversation', 'planner', 'agent', 'classifier', 'facts', 'summary']));
  });

  it('a weekly or monthly cap refuses just the same, naming its period', async () => {
    h = await harness({ provider: 'openai', config: { budget: { dailyUsd: undefined, weeklyUsd: undefined, monthlyUsd: 2 } } });
    h.fake.enqueue(costing(1.5), costing(0.6));
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    await expect(h.llm.complete({ callSite: 'conversation', messages: HI })).rejects.toThrow(/^The monthly LLM budget is spent \(\$2\.10 of \$2\.00\)/);
  });

  it('free models keep answering: they cannot spend the budget', async () => {
    h = await harness({ provider: 'openai', config: { budget: { dailyUsd: 0.5, weeklyUsd: undefined, monthlyUsd: undefined } } });
    h.fake.enqueue(costing(0.6), reply.text('from ollama'));
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    const result = await h.llm.complete({ callSite: 'agent', model: 'ollama:llama3', messages: HI });
    expect(result).toMatchObject({ text: 'from ollama', provider: 'ollama', fallback: false });
  });

  it('the next day the daily cap opens again', async () => {
    h = await harness({ provider: 'openai', config: { budget: { dailyUsd: 0.5, weeklyUsd: undefined, monthlyUsd: undefined } } });
    h.fake.enqueue(costing(0.6), reply.text('new day'));
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    await expect(h.llm.complete({ callSite: 'conversation', messages: HI })).rejects.toThrow(/daily LLM budget/);
    await h.clock.advance(24 * 3600_000);
    expect((await h.llm.complete({ callSite: 'conversation', messages: HI })).text).toBe('new day');
  });
});

describe('warnings', () => {
  it('warns once at 80% of a cap, then once when it is spent', async () => {
    h = await harness({ provider: 'openai', config: { budget: { dailyUsd: 1, weeklyUsd: undefined, monthlyUsd: undefined } } });
    const events: BudgetEvent[] = [];
    h.llm.onBudget((e) => events.push(e));
    h.fake.enqueue(costing(0.5), costing(0.35), costing(0.1), costing(0.1));

    await h.llm.complete({ callSite: 'conversation', messages: HI });
    expect(events).toEqual([]);
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    expect(events).toEqual([expect.objectContaining({ type: 'warning', period: 'day', spentUsd: 0.85, capUsd: 1 })]);
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    expect(events).toHaveLength(1);
    await h.llm.complete({ callSite: 'conversation', messages: HI });
    expect(events.map((e) => e.type)).toEqual(['warning', 'exceeded']);
    expect(events[1]).toMatchObject({ spentUsd: 1.05, resetsAt: new Date(2026, 4, 14).getTime() });
    expect(h.llm.budget.status().exceeded?.period).toBe('day');
  });

  it('a failing listener does not break the call', async () => {
    h = await harness({ provider: 'openai', config: { budget: { dailyUsd: 0.1, weeklyUsd: undefined, monthlyUsd: undefined } } });
    h.llm.onBudget(() => {
      throw new Error('listener bug');
    });
    h.fake.enqueue(costing(0.09));
    await expect(h.llm.complete({ callSite: 'conversation', messages: HI })).resolves.toMatchObject({ text: 'ok' });
  });
});

describe('caps changed at runtime', () => {
  it('apply at once, survive a restart, and can return to the configuration', async () => {
    const dir = makeTempDir();
    try {
      const db = openDatabase({ dataDir: dir.path, migrations: LLM_MIGRATIONS });
      h = await harness({ provider: 'openai', db, config: { budget: { dailyUsd: 10, weeklyUsd: undefined, monthlyUsd: undefined } } });
      h.fake.enqueue(costing(0.6));
      await h.llm.complete({ callSite: 'conversation', messages: HI });

      expect(h.llm.budget.setCaps({ day: 0.5, month: 20 })).toEqual({ day: 0.5, week: null, month: 20 });
      await expect(h.llm.complete({ callSite: 'conversation', messages: HI })).rejects.toThrow(/daily LLM budget/);
      expect(() => h!.llm.budget.setCaps({ week: -1 })).toThrow(RangeError);
      db.close();

      const reopened = openDatabase({ dataDir: dir.path, migrations: LLM_MIGRATIONS });
      const again = createLlm(h.config, { db: reopened, clock: h.clock });
      expect(again.budget.caps()).toEqual({ day: 0.5, week: null, month: 20 });
      expect(again.budget.status().exceeded?.period).toBe('day');
      expect(again.budget.setCaps({ day: null }).day).toBeNull();
      expect(again.budget.status().exceeded).toBeUndefined();
      expect(again.budget.resetCaps()).toEqual({ day: 10, week: null, month: null });
      reopened.close();
    } finally {
      dir.cleanup();
    }
  });
});
