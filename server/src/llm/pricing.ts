// What a call costs. Prices are USD per million tokens, from each provider's public price list
// (standard tier, shortest context band; checked 2026-10). A model is priced by the LONGEST
// table prefix that matches it on a name boundary, so `gpt-4o-mini-2024-07-18` is billed as
// gpt-4o-mini and not as gpt-4o (the original matched the first prefix and billed mini 16x too
// much), and `gpt-4` never prices `gpt-4o` or `gpt-4.1`. A model that matches nothing is
// reported as unpriced (cost null), never silently free; local Ollama is free.
import type { ProviderName, Usage } from './types.ts';

export interface Price {
  input: number;
  output: number;
  /** Prompt-cache reads; when absent, cached tokens are billed as normal input. */
  cachedInput?: number;
  /** Prompt-cache writes; when absent, 1.25x input (Anthropic's 5-minute cache rate). */
  cacheWrite?: number;
  note?: string;
}

export interface PriceEntry extends Price {
  provider: ProviderName;
  prefix: string;
}

const p = (provider: ProviderName, prefixes: string[], price: Price): PriceEntry[] => prefixes.map((prefix) => ({ provider, prefix, ...price }));

export const PRICES: readonly PriceEntry[] = [
  // Anthropic (platform.claude.com/docs/en/about-claude/pricing)
  ...p('anthropic', ['claude-fable-5-1', 'claude-mythos-5-1'], { input: 10, output: 50, cachedInput: 0.25 }),
  ...p('anthropic', ['claude-fable-5', 'claude-mythos-5'], { input: 10, output: 50, cachedInput: 1 }),
  ...p('anthropic', ['claude-opus-5-5'], { input: 4, output: 20, cachedInput: 0.2 }),
  ...p('anthropic', ['claude-opus-5', 'claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6', 'claude-opus-4-5'], { input: 5, output: 25, cachedInput: 0.5 }),
  ...p('anthropic', ['claude-opus-4-1', 'claude-opus-4-0', 'claude-opus-4-20250514', 'claude-3-opus'], { input: 15, output: 75, cachedInput: 1.5 }),
  ...p('anthropic', ['claude-sonnet-5-5'], { input: 2, output: 10, cachedInput: 0.1 }),
  ...p('anthropic', ['claude-sonnet-5'], { input: 2, output: 10, cachedInput: 0.2 }),
  ...p('anthropic', ['claude-sonnet-4', 'claude-sonnet-4-5', 'claude-sonnet-4-6', 'claude-3-7-sonnet', 'claude-3-5-sonnet'], { input: 3, output: 15, cachedInput: 0.3 }),
  ...p('anthropic', ['claude-haiku-5-5'], { input: 0.1, output: 0.5, cachedInput: 0.01, note: 'prompts up to 100k tokens' }),
  ...p('anthropic', ['claude-haiku-4-5'], { input: 1, output: 5, cachedInput: 0.1 }),
  ...p('anthropic', ['claude-3-5-haiku'], { input: 0.8, output: 4, cachedInput: 0.08 }),
  ...p('anthropic', ['claude-3-haiku'], { input: 0.25, output: 1.25, cachedInput: 0.03 }),

  // OpenAI (openai.com/api/pricing)
  ...p('openai', ['gpt-5.5'], { input: 5, output: 30, cachedInput: 0.5 }),
  ...p('openai', ['gpt-5.5-pro', 'gpt-5.4-pro'], { input: 30, output: 180 }),
  ...p('openai', ['gpt-5.4'], { input: 2.5, output: 15, cachedInput: 0.25 }),
  ...p('openai', ['gpt-5.4-mini'], { input: 0.75, output: 4.5, cachedInput: 0.075 }),
  ...p('openai', ['gpt-5.4-nano'], { input: 0.2, output: 1.25, cachedInput: 0.02 }),
  ...p('openai', ['gpt-5.2'], { input: 1.75, output: 14, cachedInput: 0.175 }),
  ...p('openai', ['gpt-5.2-pro'], { input: 21, output: 168 }),
  ...p('openai', ['gpt-5.1', 'gpt-5'], { input: 1.25, output: 10, cachedInput: 0.125 }),
  ...p('openai', ['gpt-5-pro'], { input: 15, output: 120 }),
  ...p('openai', ['gpt-5-mini'], { input: 0.25, output: 2, cachedInput: 0.025 }),
  ...p('openai', ['gpt-5-nano'], { input: 0.05, output: 0.4, cachedInput: 0.005 }),
  ...p('openai', ['gpt-4.1'], { input: 2, output: 8, cachedInput: 0.5 }),
  ...p('openai', ['gpt-4.1-mini'], { input: 0.4, output: 1.6, cachedInput: 0.1 }),
  ...p('openai', ['gpt-4.1-nano'], { input: 0.1, output: 0.4, cachedInput: 0.025 }),
  ...p('openai', ['gpt-4o', 'chatgpt-4o-latest'], { input: 2.5, output: 10, cachedInput: 1.25 }),
  ...p('openai', ['gpt-4o-2024-05-13'], { input: 5, output: 15 }),
  ...p('openai', ['gpt-4o-mini'], { input: 0.15, output: 0.6, cachedInput: 0.075 }),
  ...p('openai', ['o3'], { input: 2, output: 8, cachedInput: 0.5 }),
  ...p('openai', ['o3-mini', 'o1-mini'], { input: 1.1, output: 4.4, cachedInput: 0.55 }),
  ...p('openai', ['o4-mini'], { input: 1.1, output: 4.4, cachedInput: 0.275 }),
  ...p('openai', ['o1'], { input: 15, output: 60, cachedInput: 7.5 }),
  ...p('openai', ['gpt-4-turbo'], { input: 10, output: 30 }),
  ...p('openai', ['gpt-4'], { input: 30, output: 60 }),
  ...p('openai', ['gpt-3.5-turbo'], { input: 0.5, output: 1.5 }),

  // Google Gemini (ai.google.dev/gemini-api/docs/pricing; prompts up to 200k tokens)
  ...p('gemini', ['gemini-3.1-pro', 'gemini-3-pro'], { input: 2, output: 12, cachedInput: 0.2 }),
  ...p('gemini', ['gemini-2.5-pro'], { input: 1.25, output: 10, cachedInput: 0.125 }),
  ...p('gemini', ['gemini-2.5-flash'], { input: 0.3, output: 2.5, cachedInput: 0.03 }),
  ...p('gemini', ['gemini-2.5-flash-lite'], { input: 0.1, output: 0.4, cachedInput: 0.01 }),
  ...p('gemini', ['gemini-2.0-flash'], { input: 0.1, output: 0.4, cachedInput: 0.025 }),
  ...p('gemini', ['gemini-2.0-flash-lite'], { input: 0.075, output: 0.3 }),

  // NVIDIA NIM: the hosted API catalog is a free tier (self-hosted NIM is paid per GPU, not per token).
  ...p('nim', ['meta/', 'nvidia/', 'mistralai/', 'deepseek-ai/', 'qwen/', 'google/', 'microsoft/', 'ibm/', 'writer/'], {
    input: 0,
    output: 0,
    note: 'NVIDIA API catalog free tier',
  }),
];

const OLLAMA_PRICE: Price = { input: 0, output: 0, note: 'local model' };

/** Gemini's OpenAI endpoint may answer with `models/gemini-…`; providers report names in any case. */
export function normaliseModel(model: string): string {
  return model.trim().toLowerCase().replace(/^models\//, '');
}

function matches(model: string, prefix: string): boolean {
  if (!model.startsWith(prefix)) return false;
  if (model.length === prefix.length || prefix.endsWith('/')) return true;
  // A name boundary: dated or tagged variants (-2024-08-06, :latest, @001) share the price.
  return '-:@'.includes(model.charAt(prefix.length));
}

/** The price of a model, or undefined when the table does not know it. */
export function priceFor(provider: ProviderName, model: string, table: readonly PriceEntry[] = PRICES): Price | undefined {
  if (provider === 'ollama') return OLLAMA_PRICE;
  const name = normaliseModel(model);
  let best: PriceEntry | undefined;
  for (const entry of table) {
    if (entry.provider === provider && matches(name, entry.prefix) && (!best || entry.prefix.length > best.prefix.length)) best = entry;
  }
  return best;
}

const readPrice = (price: Price) => price.cachedInput ?? price.input;
const writePrice = (price: Price) => price.cacheWrite ?? price.input * 1.25;

/** USD for one call's usage at a price; null when the model is unpriced. */
export function costOf(usage: Usage, price: Price | undefined): number | null {
  if (!price) return null;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const written = Math.min(usage.cacheWriteTokens, usage.inputTokens - cached);
  const fresh = usage.inputTokens - cached - written;
  const usd =
    fresh * price.input +
    cached * readPrice(price) +
    written * writePrice(price) +
    usage.outputTokens * price.output;
  // `usd` is in millionths (prices are per million tokens); keep 8 decimals, a millionth of a cent.
  return Math.round(usd * 100) / 1e8;
}

/**
 * USD the prompt cache saved on `read` and `written` input tokens at a price: what they would
 * have cost as plain input minus what they cost (reads at the cached price, writes at the write
 * price). Negative when the writes cost more than the reads saved, e.g. a cache never read back.
 */
export function promptCacheSaving(read: number, written: number, price: Price): number {
  const usd = read * (price.input - readPrice(price)) + written * (price.input - writePrice(price));
  // Per million tokens, like costOf; the same 8 decimals.
  return Math.round(usd * 100) / 1e8;
}
