// Usage -> USD. The longest matching prefix wins (the original billed gpt-4o-mini as gpt-4o),
// dated and tagged ids share their family's price, unknown models are reported as unpriced
// rather than free, and prompt-cache reads are billed at their own rate.
import { afterEach, describe, expect, it } from 'vitest';
import { costOf, priceFor } from '../../../server/src/llm/pricing.ts';
import type { ProviderName, Usage } from '../../../server/src/llm/types.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { harness, type Harness } from './harness.ts';

const MILLION_EACH: Usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 0, cacheWriteTokens: 0 };

describe('price lookup', () => {
  it.each<[ProviderName, string, number, number]>([
    ['openai', 'gpt-4o', 2.5, 10],
    ['openai', 'gpt-4o-2024-08-06', 2.5, 10],
    ['openai', 'gpt-4o-2024-05-13', 5, 15],
    ['openai', 'gpt-4o-mini', 0.15, 0.6],
    ['openai', 'gpt-4o-mini-2024-07-18', 0.15, 0.6],
    ['openai', 'gpt-4.1-nano', 0.1, 0.4],
    ['openai', 'gpt-4', 30, 60],
    ['openai', 'gpt-5.4-mini', 0.75, 4.5],
    ['openai', 'o4-mini', 1.1, 4.4],
    ['anthropic', 'claude-sonnet-4-6', 3, 15],
    ['anthropic', 'claude-sonnet-4-5-20250929', 3, 15],
    ['anthropic', 'claude-haiku-4-5-20251001', 1, 5],
    ['anthropic', 'claude-3-5-haiku-20241022', 0.8, 4],
    ['anthropic', 'claude-opus-4-1-20250805', 15, 75],
    ['anthropic', 'claude-opus-4-6', 5, 25],
    ['anthropic', 'claude-opus-5-5', 4, 20],
    ['gemini', 'gemini-2.5-flash', 0.3, 2.5],
    ['gemini', 'gemini-2.5-flash-lite', 0.1, 0.4],
    ['gemini', 'models/gemini-2.5-pro', 1.25, 10],
    ['ollama', 'llama3', 0, 0],
    ['ollama', 'qwen2.5:14b', 0, 0],
    ['nim', 'meta/llama-3.3-70b-instruct', 0, 0],
  ])('%s %s costs $%s in / $%s out per million', (provider, model, input, output) => {
    expect(costOf(MILLION_EACH, priceFor(provider, model))).toBeCloseTo(input + output, 8);
  });

  it.each<[ProviderName, string]>([
    ['openai', 'gpt-6-astra'],
    ['openai', 'gpt-4o2'],
    ['anthropic', 'claude-opus-4-9'],
    ['gemini', 'gemini-9-ultra'],
    ['nim', 'someone/custom-model'],
    ['openai', 'claude-sonnet-4-6'], // a model name under the wrong provider is not guessed
  ])('%s %s is unknown: no price, cost null', (provider, model) => {
    expect(priceFor(provider, model)).toBeUndefined();
    expect(costOf(MILLION_EACH, priceFor(provider, model))).toBeNull();
  });

  it('bills cache reads and writes at their own rates', () => {
    // 10k prompt: 6k read from cache, 1k written to it, 3k fresh; 500 out; Sonnet 4.6.
    const usage: Usage = { inputTokens: 10_000, cachedInputTokens: 6_000, cacheWriteTokens: 1_000, outputTokens: 500 };
    const expected = (3_000 * 3 + 6_000 * 0.3 + 1_000 * 3.75 + 500 * 15) / 1e6;
    expect(costOf(usage, priceFor('anthropic', 'claude-sonnet-4-6'))).toBeCloseTo(expected, 10);
  });
});

describe('cost of real calls', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('bills the model that answered: a dated gpt-4o-mini id is billed as mini, not as gpt-4o', async () => {
    h = await harness({ provider: 'openai', config: { model: 'gpt-4o-mini' } });
    h.fake.enqueue(reply.text('ok', { model: 'gpt-4o-mini-2024-07-18', usage: { input: 2_000, output: 1_000, cachedInput: 1_000 } }));
    const result = await h.llm.complete({ callSite: 'conversation', messages: [{ role: 'user', content: 'hi' }] });
    // 1000 fresh x 0.15 + 1000 cached x 0.075 + 1000 out x 0.60
    expect(result.costUsd).toBeCloseTo((150 + 75 + 600) / 1e6, 10);
    expect(result.model).toBe('gpt-4o-mini-2024-07-18');
  });

  it('Anthropic cache usage from the wire is billed at cache rates', async () => {
    h = await harness({ provider: 'anthropic', config: { model: 'claude-haiku-4-5' } });
    h.fake.enqueue(reply.text('ok', { usage: { input: 5_000, cachedInput: 4_000, output: 100 } }));
    const result = await h.llm.complete({ callSite: 'conversation', messages: [{ role: 'user', content: 'hi' }] });
    expect(result.usage).toEqual({ inputTokens: 5_000, cachedInputTokens: 4_000, cacheWriteTokens: 0, outputTokens: 100 });
    expect(result.costUsd).toBeCloseTo((1_000 * 1 + 4_000 * 0.1 + 100 * 5) / 1e6, 10);
  });

  it('an unknown model is recorded with a null cost and reported as unpriced', async () => {
    h = await harness({ provider: 'openai', config: { model: 'gpt-6-astra' } });
    h.fake.respond(() => reply.text('ok', { usage: { input: 100, output: 10 } }));
    const result = await h.llm.complete({ callSite: 'conversation', messages: [{ role: 'user', content: 'hi' }] });
    expect(result.costUsd).toBeNull();
    const report = h.llm.ledger.report({ period: 'all' });
    expect(report.totals).toMatchObject({ calls: 1, unpricedCalls: 1, costUsd: 0 });
    expect(report.unpricedModels).toEqual(['openai:gpt-6-astra']);
  });
});
