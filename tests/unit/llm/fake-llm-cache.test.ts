// The fake LLM servers' prompt caches (tests/helpers/fake-llm/cache.ts) behave like the
// providers' documented ones, since the caching benchmark's figures rest on them: Anthropic
// reads only a byte-identical prefix up to a mark (or up to 20 blocks before one), within its
// TTL, at or over the model's minimum (the documented one, or another to simulate); OpenAI
// reports a repeated prefix of 1,024 tokens or more in 128-token steps.
import { describe, expect, it } from 'vitest';
import { FakePromptCache } from '../../helpers/fake-llm/index.ts';

const MARK = { type: 'ephemeral' };
/** About 1,500 tokens of stable text. */
const SYSTEM = Array.from({ length: 110 }, (_, i) => `Rule ${i}: answer briefly about room ${i}.`).join('\n');

function anthropic(messages: { role: string; content: unknown }[], opts: { system?: string; model?: string; markSystem?: boolean } = {}) {
  const system = opts.system ?? SYSTEM;
  return {
    model: opts.model ?? 'claude-sonnet-4-5',
    max_tokens: 100,
    system: opts.markSystem === false ? system : [{ type: 'text', text: system, cache_control: MARK }],
    messages,
  };
}

const text = (t: string, marked = false) => ({ type: 'text', text: t, ...(marked ? { cache_control: MARK } : {}) });

describe('the fake Anthropic prompt cache', () => {
  it('writes a marked prefix the first time and reads it the next, byte-identical, within the TTL', () => {
    let now = 0;
    const cache = new FakePromptCache({ now: () => now });
    const first = cache.anthropic(anthropic([{ role: 'user', content: 'hello' }]));
    expect(first.cachedInput).toBe(0);
    expect(first.cacheWrite).toBeGreaterThan(1024);
    expect(first.input).toBeGreaterThan(first.cacheWrite);

    now += 60_000;
    const again = cache.anthropic(anthropic([{ role: 'user', content: 'something else' }]));
    expect(again.cachedInput).toBe(first.cacheWrite);
    expect(again.cacheWrite).toBe(0);

    // One character changed in the prefix: nothing read, written anew.
    const changed = cache.anthropic(anthropic([{ role: 'user', content: 'hello' }], { system: `${SYSTEM}.` }));
    expect(changed.cachedInput).toBe(0);
    expect(changed.cacheWrite).toBeGreaterThan(1024);

    // Five minutes after the last read, the entry has expired.
    now += 5 * 60_000;
    expect(cache.anthropic(anthropic([{ role: 'user', content: 'hello' }])).cachedInput).toBe(0);
  });

  it('caches nothing unmarked, nothing under the model\'s minimum, and not across models', () => {
    const cache = new FakePromptCache();
    const unmarked = anthropic([{ role: 'user', content: 'hello' }], { markSystem: false });
    cache.anthropic(unmarked);
    expect(cache.anthropic(unmarked)).toMatchObject({ cachedInput: 0, cacheWrite: 0 });

    // claude-haiku-4-5 needs 4,096 tokens: the same ~1,500-token prefix is not cached.
    const short = anthropic([{ role: 'user', content: 'hello' }], { model: 'claude-haiku-4-5' });
    cache.anthropic(short);
    expect(cache.anthropic(short)).toMatchObject({ cachedInput: 0, cacheWrite: 0 });

    cache.anthropic(anthropic([{ role: 'user', content: 'hello' }], { model: 'claude-sonnet-4-5' }));
    expect(cache.anthropic(anthropic([{ role: 'user', content: 'hello' }], { model: 'claude-opus-4-1' })).cachedInput).toBe(0);
  });

  it('simulates the documented minimum unless told another: Sonnet 4.6 at 1,024, or at the reported 2,048', () => {
    const body = (words: string) => anthropic([{ role: 'user', content: words }], { model: 'claude-sonnet-4-6' });
    const documented = new FakePromptCache();
    expect(documented.anthropicMinimum('claude-sonnet-4-6')).toBe(1024);
    const written = documented.anthropic(body('hello')).cacheWrite;
    expect(written).toBeGreaterThan(1024);
    expect(written).toBeLessThan(2048);
    expect(documented.anthropic(body('something else')).cachedInput).toBe(written);

    const reported = new FakePromptCache({ anthropicMinimums: { 'claude-sonnet-4-6': 2048 } });
    // By name prefix (a dated id too); other models keep the documented minimum.
    expect(reported.anthropicMinimum('claude-sonnet-4-6-20260217')).toBe(2048);
    expect(reported.anthropicMinimum('claude-sonnet-4-5')).toBe(1024);
    expect(reported.anthropic(body('hello'))).toMatchObject({ cachedInput: 0, cacheWrite: 0 });
    expect(reported.anthropic(body('something else'))).toMatchObject({ cachedInput: 0, cacheWrite: 0 });
    // Past 2,048 the same marked prefix is written and read.
    const longer = (words: string) => anthropic([{ role: 'user', content: words }], { model: 'claude-sonnet-4-6', system: `${SYSTEM}\n${SYSTEM}` });
    const w = reported.anthropic(longer('hello')).cacheWrite;
    expect(w).toBeGreaterThanOrEqual(2048);
    expect(reported.anthropic(longer('something else')).cachedInput).toBe(w);
  });

  it('finds an earlier written prefix up to 20 blocks before a mark, the longest one', () => {
    const cache = new FakePromptCache();
    const turn1 = [{ role: 'user', content: [text('q1', true)] }];
    const w1 = cache.anthropic(anthropic(turn1));
    const turn2 = [{ role: 'user', content: [text('q1')] }, { role: 'assistant', content: [text('a1')] }, { role: 'user', content: [text('q2', true)] }];
    const r2 = cache.anthropic(anthropic(turn2));
    // The prefix through q1 was written at turn 1's mark; turn 2 reads it and writes a1 + q2.
    expect(r2.cachedInput).toBe(w1.cacheWrite);
    expect(r2.cacheWrite).toBeGreaterThan(0);

    const far = Array.from({ length: 25 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: [text(`m${i}`)] }));
    const lone = new FakePromptCache();
    expect(lone.anthropic(anthropic([{ role: 'user', content: [text('m0', true)] }], { markSystem: false })).cacheWrite).toBeGreaterThan(1024);
    far[24] = { role: 'user', content: [text('m24', true)] };
    // m0's prefix is 24 blocks before the mark: too far back to be found.
    expect(lone.anthropic(anthropic(far, { markSystem: false })).cachedInput).toBe(0);
    far[4] = { role: 'user', content: [text('m4', true)] };
    // With a mark on m4 (within 20 blocks of m0), it is found again.
    expect(lone.anthropic(anthropic(far, { markSystem: false })).cachedInput).toBeGreaterThan(1024);
  });
});

describe('the fake OpenAI prompt cache', () => {
  const body = (model: string, words: string) => ({ model, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: words }] });

  it('reports a repeated prefix of 1,024 tokens or more in 128-token steps', () => {
    const cache = new FakePromptCache();
    expect(cache.openai(body('gpt-4.1', 'hello')).cachedInput).toBe(0);
    const second = cache.openai(body('gpt-4.1', 'something else'));
    expect(second.cachedInput).toBeGreaterThanOrEqual(1024);
    expect(second.cachedInput).toBeLessThanOrEqual(second.input);
    expect((second.cachedInput - 1024) % 128).toBe(0);
    expect(second.cacheWrite).toBe(0);
    // Another model has its own cache.
    expect(cache.openai(body('gpt-4o', 'hello')).cachedInput).toBe(0);
  });

  it('caches nothing for a repeated prefix under 1,024 tokens', () => {
    const cache = new FakePromptCache();
    const short = { model: 'gpt-4.1', messages: [{ role: 'system', content: 'You control the home.' }, { role: 'user', content: 'hello' }] };
    cache.openai(short);
    expect(cache.openai(short).cachedInput).toBe(0);
  });
});
