// The Cost view's prompt-cache line under the total.
import { describe, expect, it } from 'vitest';
import { compactTokens, promptCacheLine } from '../../../panel/src/components/views/prompt-cache.ts';

describe('promptCacheLine', () => {
  it('shows tokens read, written and the saving', () => {
    expect(promptCacheLine({ read_tokens: 9_800, write_tokens: 2_100, saved_usd: 0.0286 })).toBe('Prompt cache: 9.8k tokens read, 2.1k written, saved $0.03');
  });

  it('leaves out writes when there were none, and says a negative saving as extra cost', () => {
    expect(promptCacheLine({ read_tokens: 500, write_tokens: 0, saved_usd: 0.0012 })).toBe('Prompt cache: 500 tokens read, saved $0.0012');
    expect(promptCacheLine({ read_tokens: 1_000, write_tokens: 40_000, saved_usd: -0.0273 })).toBe('Prompt cache: 1k tokens read, 40k written, cost $0.03 extra');
  });

  it('is absent when nothing was read from the cache', () => {
    expect(promptCacheLine({ read_tokens: 0, write_tokens: 2_100, saved_usd: -0.001 })).toBeUndefined();
  });
});

describe('compactTokens', () => {
  it('abbreviates thousands and millions', () => {
    expect([0, 999, 1_000, 9_849, 12_345, 999_949, 999_950, 1_250_000].map(compactTokens)).toEqual(['0', '999', '1k', '9.8k', '12.3k', '999.9k', '1M', '1.3M']);
  });
});
