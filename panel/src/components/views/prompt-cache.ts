// The Cost view's prompt-cache line: how much input the providers' caches served and took in the
// period and what that saved, kept apart from the Lit view so it can be tested without a DOM.
import type { CostReport } from '../../data/types.ts';
import { usd } from '../../format.ts';

/** 950, 9.8k, 1.2M: token counts at a glance. */
export function compactTokens(n: number): string {
  if (n < 1000) return String(n);
  const [value, unit] = n < 999_950 ? [n / 1000, 'k'] : [n / 1_000_000, 'M'];
  return `${value.toFixed(1).replace(/\.0$/, '')}${unit}`;
}

/** "Prompt cache: 9.8k tokens read, 2.1k written, saved $0.03"; undefined when nothing was read. */
export function promptCacheLine(cache: CostReport['prompt_cache']): string | undefined {
  if (cache.read_tokens <= 0) return undefined;
  const written = cache.write_tokens > 0 ? `, ${compactTokens(cache.write_tokens)} written` : '';
  // Writes cost more than plain input, so a cache written often and read little costs extra.
  const saved = cache.saved_usd < 0 ? `cost ${usd(-cache.saved_usd)} extra` : `saved ${usd(cache.saved_usd)}`;
  return `Prompt cache: ${compactTokens(cache.read_tokens)} tokens read${written}, ${saved}`;
}
