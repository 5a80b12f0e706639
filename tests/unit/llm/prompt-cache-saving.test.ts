// What the prompt cache saved on a model: cache reads billed at the full input price instead of
// the cached one, writes at the input price instead of the write price. The saving is exactly
// the difference between costOf without the cache and costOf with it.
import { describe, expect, it } from 'vitest';
import { costOf, priceFor, promptCacheSaving } from '../../../server/src/llm/pricing.ts';
import type { Usage } from '../../../server/src/llm/types.ts';

const uncached = (u: Usage): Usage => ({ ...u, cachedInputTokens: 0, cacheWriteTokens: 0 });

describe('promptCacheSaving', () => {
  it('Anthropic: reads at 0.1x input save, writes at 1.25x input cost extra', () => {
    const sonnet = priceFor('anthropic', 'claude-sonnet-4-6')!; // $3 in, $0.30 cached, $3.75 written
    expect(promptCacheSaving(9_800, 2_100, sonnet)).toBeCloseTo((9_800 * 2.7 - 2_100 * 0.75) / 1e6, 10);
    const usage: Usage = { inputTokens: 12_000, cachedInputTokens: 9_800, cacheWriteTokens: 2_100, outputTokens: 400 };
    expect(promptCacheSaving(9_800, 2_100, sonnet)).toBeCloseTo(costOf(uncached(usage), sonnet)! - costOf(usage, sonnet)!, 10);
  });

  it("OpenAI: reads at the model's cached price, no write price in the table", () => {
    const mini = priceFor('openai', 'gpt-4o-mini')!; // $0.15 in, $0.075 cached
    expect(promptCacheSaving(1_000_000, 0, mini)).toBeCloseTo(0.075, 10);
    const gpt54 = priceFor('openai', 'gpt-5.4')!; // $2.50 in, $0.25 cached
    const usage: Usage = { inputTokens: 40_000, cachedInputTokens: 32_000, cacheWriteTokens: 0, outputTokens: 1_000 };
    expect(promptCacheSaving(32_000, 0, gpt54)).toBeCloseTo(costOf(uncached(usage), gpt54)! - costOf(usage, gpt54)!, 10);
    // A model without a cached price bills cached tokens as plain input: nothing saved.
    expect(promptCacheSaving(50_000, 0, priceFor('openai', 'gpt-4-turbo')!)).toBe(0);
  });

  it('is negative when the cache was only written, never read back', () => {
    expect(promptCacheSaving(0, 10_000, priceFor('anthropic', 'claude-haiku-4-5')!)).toBeCloseTo(-(10_000 * 0.25) / 1e6, 10);
  });

  it('is zero on free models', () => {
    expect(promptCacheSaving(10_000, 10_000, priceFor('ollama', 'qwen2.5:14b')!)).toBe(0);
  });
});
