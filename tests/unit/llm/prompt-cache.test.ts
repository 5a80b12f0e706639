// Prompt caching (issue 15): a conversation keeps its system prompt and history as a stable
// prefix (the turn's context rides in front of the newest user message and is never saved);
// Anthropic requests mark that prefix with cache_control where it can reach the model's minimum;
// what the provider reports as read from or written to its cache is billed at those rates.
import { afterEach, describe, expect, it } from 'vitest';
import { LlmConversation } from '../../../server/src/llm/conversation/conversation.ts';
import { ConversationStore } from '../../../server/src/llm/conversation/store.ts';
import { estimateTextTokens } from '../../../server/src/llm/estimate.ts';
import { costOf, priceFor } from '../../../server/src/llm/pricing.ts';
import { cacheMinimumTokens } from '../../../server/src/llm/providers/anthropic-cache.ts';
import { reply, systemText, turnContext, userWords, type FakeRequest } from '../../helpers/fake-llm/index.ts';
import { harness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A system prompt of about 1,500 tokens: over the 1,024 minimum of claude-sonnet-4-5 and gpt-4o. */
const LONG_SYSTEM = `You control the home.\n${Array.from({ length: 110 }, (_, i) => `Rule ${i}: answer briefly about room ${i}.`).join('\n')}`;

function conversation(h: Harness, context: { now?: string }, system = LONG_SYSTEM): LlmConversation {
  return new LlmConversation({
    id: 'main/cache',
    agent: 'main',
    llm: h.llm,
    store: new ConversationStore(h.db, h.clock),
    system,
    context: () => context.now,
  });
}

type Block = { type: string; text?: string; cache_control?: unknown };
const marks = (r: FakeRequest) => {
  const found: string[] = [];
  if (Array.isArray(r.body.system) && (r.body.system as Block[]).some((b) => b.cache_control)) found.push('system');
  for (const [i, m] of ((r.body.messages ?? []) as { content: Block[] | string }[]).entries()) {
    if (Array.isArray(m.content)) m.content.forEach((b, j) => b.cache_control && found.push(`message ${i} block ${j}`));
  }
  return found;
};

describe('the turn context', () => {
  it('goes in front of the newest user message, for every call of the turn, and is never saved', async () => {
    h = await harness();
    const ctx: { now?: string } = { now: 'Home map for this request: light.porch "Porch" off' };
    const c = conversation(h, ctx, 'You control the home.');
    h.fake.enqueue(reply.tool('get_state', { entity_id: 'light.porch' }), reply.text('The porch light is off.'));
    const first = await c.send('is the porch light on?');
    await c.sendToolResults([{ role: 'tool', toolCallId: first.toolCalls[0].id, content: 'off' }]);

    for (const r of h.fake.requests) {
      expect(systemText(r)).toBe('You control the home.');
      expect(turnContext(r)).toBe('Home map for this request: light.porch "Porch" off');
      expect(userWords(r)).toBe('is the porch light on?');
    }
    expect(c.messages()[0]).toEqual({ role: 'user', content: 'is the porch light on?' });
    expect(JSON.stringify(c.messages())).not.toContain('Home map');

    // The next turn: the earlier question goes back as it was saved, the new context only on the new one.
    ctx.now = 'Home map for this request: light.kitchen "Kitchen" on';
    h.fake.enqueue(reply.text('Yes, it is on.'));
    await c.send('and the kitchen?');
    const next = h.fake.lastRequest();
    expect(JSON.stringify(next.body.messages)).not.toContain('light.porch "Porch"');
    expect(turnContext(next)).toContain('light.kitchen');
  });
});

describe('Anthropic cache marks', () => {
  it('mark the system prompt and the history before this turn; repeated turns read them at the cache rate', async () => {
    h = await harness({ config: { model: 'claude-sonnet-4-5' }, fake: { promptCache: true } });
    h.fake.respond(() => reply.text('Done.'));
    const ctx: { now?: string } = {};
    const c = conversation(h, ctx);
    const results = [];
    for (const [i, words] of ['turn on the porch light', 'tell me a joke', 'and the kitchen light?'].entries()) {
      ctx.now = `Home map for this request: light.room_${i} "Room ${i}" off`;
      results.push(await c.send(words));
    }
    const [one, two, three] = h.fake.requests;
    // Turn 1: only the system prompt is marked (no history yet), and it is written to the cache.
    expect(marks(one)).toEqual(['system']);
    expect(results[0].usage.cacheWriteTokens).toBeGreaterThan(1024);
    expect(results[0].usage.cachedInputTokens).toBe(0);
    // Turn 2: the history before this turn is marked too; the system prompt is read.
    expect(marks(two)).toEqual(['system', 'message 1 block 0']);
    expect(results[1].usage.cachedInputTokens).toBe(results[0].usage.cacheWriteTokens);
    // Turn 3: reads system + turn 1; writes only what turn 2 added.
    expect(marks(three)).toEqual(['system', 'message 3 block 0']);
    expect(results[2].usage.cachedInputTokens).toBeGreaterThan(results[1].usage.cachedInputTokens);
    expect(results[2].usage.cacheWriteTokens).toBeLessThan(60);

    // Billed as such: reads at 0.1x input, writes at 1.25x; the ledger has the same cost.
    const price = priceFor('anthropic', 'claude-sonnet-4-5')!;
    const u = results[2].usage;
    const fresh = u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens;
    expect(results[2].costUsd).toBeCloseTo((fresh * 3 + u.cachedInputTokens * 0.3 + u.cacheWriteTokens * 3.75 + u.outputTokens * 15) / 1e6, 8);
    expect(results[2].costUsd).toBe(costOf(u, price));
    const uncached = costOf({ ...u, cachedInputTokens: 0, cacheWriteTokens: 0 }, price)!;
    expect(results[2].costUsd! / uncached).toBeLessThan(0.4);
    expect(h.llm.ledger.report({ period: 'all' }).totals.cachedInputTokens).toBe(results.reduce((n, r) => n + r.usage.cachedInputTokens, 0));
  });

  it('mark nothing that cannot reach the model\'s documented minimum: a short prompt goes as before', async () => {
    h = await harness({ config: { model: 'claude-haiku-4-5' }, fake: { promptCache: true } });
    expect(cacheMinimumTokens('claude-haiku-4-5')).toBe(4096);
    expect(estimateTextTokens(LONG_SYSTEM)).toBeLessThan(2048);
    h.fake.respond(() => reply.text('Done.'));
    const c = conversation(h, {});
    const r = await c.send('hello');
    await c.send('hello again');
    expect(h.fake.requests.map(marks)).toEqual([[], []]);
    expect(h.fake.requests[0].body.system).toBe(LONG_SYSTEM);
    expect(r.usage.cachedInputTokens + r.usage.cacheWriteTokens).toBe(0);
  });

  describe('Sonnet 4.6: documented at 1,024 tokens, reported at 2,048', () => {
    const SONNET_46 = 'claude-sonnet-4-6';
    const price = () => priceFor('anthropic', SONNET_46)!;
    const uncached = (u: { inputTokens: number; outputTokens: number }) => costOf({ ...u, cachedInputTokens: 0, cacheWriteTokens: 0 }, price());

    it('marks go by the documented 1,024, and the prefix is read when that is the real minimum', async () => {
      expect(cacheMinimumTokens(SONNET_46)).toBe(1024);
      expect(cacheMinimumTokens('claude-sonnet-4-6-20260217')).toBe(1024);
      h = await harness({ config: { model: SONNET_46 }, fake: { promptCache: true } });
      h.fake.respond(() => reply.text('Done.'));
      const c = conversation(h, {});
      const one = await c.send('hello');
      const two = await c.send('hello again');
      expect(h.fake.requests.map(marks)).toEqual([['system'], ['system', 'message 1 block 0']]);
      expect(one.usage.cacheWriteTokens).toBeGreaterThan(1024);
      expect(two.usage.cachedInputTokens).toBe(one.usage.cacheWriteTokens);
      expect(two.costUsd! / uncached(two.usage)!).toBeLessThan(0.4);
    });

    it('where the real minimum is 2,048, a mark under it costs nothing, and one over it is read', async () => {
      h = await harness({ config: { model: SONNET_46 }, fake: { promptCache: { anthropicMinimums: { [SONNET_46]: 2048 } } } });
      h.fake.respond(() => reply.text('Done.'));
      const c = conversation(h, {});
      // ~1,500 tokens of system prompt: marked (over 1,024), not cached (under 2,048), billed as unmarked.
      const one = await c.send('hello');
      expect(marks(h.fake.requests[0])).toEqual(['system']);
      expect(one.usage).toMatchObject({ cachedInputTokens: 0, cacheWriteTokens: 0 });
      expect(one.costUsd).toBe(uncached(one.usage));
      // A long message takes the history past 2,048: the next turn's history mark is written, the one after reads it.
      const long = `Here is my week: ${Array.from({ length: 60 }, (_, i) => `day ${i} the heating ran from six to nine.`).join(' ')}`;
      await c.send(long);
      const three = await c.send('so, when does it run?');
      const four = await c.send('thanks');
      expect(marks(h.fake.requests[2])).toEqual(['system', 'message 3 block 0']);
      expect(three.usage.cacheWriteTokens).toBeGreaterThan(2048);
      expect(three.usage.cachedInputTokens).toBe(0);
      expect(four.usage.cachedInputTokens).toBe(three.usage.cacheWriteTokens);
      expect(four.costUsd! / uncached(four.usage)!).toBeLessThan(0.4);
    });
  });

  it('mark nothing with LLM_PROMPT_CACHE=false, and nothing is cached', async () => {
    h = await harness({ config: { model: 'claude-sonnet-4-5', promptCache: false }, fake: { promptCache: true } });
    h.fake.respond(() => reply.text('Done.'));
    const c = conversation(h, {});
    await c.send('hello');
    const second = await c.send('hello again');
    expect(h.fake.requests.map(marks)).toEqual([[], []]);
    expect(second.usage.cachedInputTokens).toBe(0);
    expect(second.costUsd).toBe(costOf({ ...second.usage, cachedInputTokens: 0, cacheWriteTokens: 0 }, priceFor('anthropic', 'claude-sonnet-4-5')));
  });

  it('in a turn\'s tool rounds, mark the newest block so the next round reads the turn so far', async () => {
    h = await harness({ config: { model: 'claude-sonnet-4-5' }, fake: { promptCache: true } });
    const ctx = { now: 'Home map for this request: light.porch "Porch" off' };
    const c = conversation(h, ctx);
    h.fake.enqueue(reply.tool('get_state', { entity_id: 'light.porch' }), reply.tool('get_state', { entity_id: 'light.hall' }), reply.text('Both off.'));
    const first = await c.send('porch and hall?');
    const second = await c.sendToolResults([{ role: 'tool', toolCallId: first.toolCalls[0].id, content: 'off' }]);
    const third = await c.sendToolResults([{ role: 'tool', toolCallId: second.toolCalls[0].id, content: 'off' }]);
    expect(marks(h.fake.requests[1])).toEqual(['system', 'message 2 block 0']);
    expect(third.usage.cachedInputTokens).toBeGreaterThan(second.usage.cachedInputTokens);
  });
});

describe('OpenAI prompt caching', () => {
  it('reads cached_tokens into the usage and bills them at the model\'s cached rate', async () => {
    h = await harness({ provider: 'openai', config: { model: 'gpt-4.1' }, fake: { promptCache: true } });
    h.fake.respond(() => reply.text('Done.'));
    const ctx: { now?: string } = { now: 'Home map for this request: light.porch "Porch" off' };
    const c = conversation(h, ctx);
    const one = await c.send('turn on the porch light');
    ctx.now = 'Home map for this request: light.kitchen "Kitchen" on';
    const two = await c.send('and the kitchen?');
    expect(one.usage.cachedInputTokens).toBe(0);
    // The stable part first: the system prompt and the first exchange are repeated, in 128-token steps.
    expect(two.usage.cachedInputTokens).toBeGreaterThanOrEqual(1024);
    expect((two.usage.cachedInputTokens - 1024) % 128).toBe(0);
    const price = priceFor('openai', 'gpt-4.1')!;
    const fresh = two.usage.inputTokens - two.usage.cachedInputTokens;
    expect(two.costUsd).toBeCloseTo((fresh * price.input + two.usage.cachedInputTokens * price.cachedInput! + two.usage.outputTokens * price.output) / 1e6, 8);
  });
});
