// The providers' prompt caches, simulated closely enough to measure what caching saves: the
// fake counts a request's prompt tokens itself and says which of them a real cache would have
// read or written, by each provider's documented rules.
// - Anthropic (explicit): a prefix (tools, system, messages, in that order) is written when it
//   ends at a `cache_control` block and reaches the model's minimum (the documented one, from
//   anthropic-cache.ts, unless `anthropicMinimums` says otherwise); a later request reads the
//   longest written prefix it repeats byte for byte, found at a marked block or up to 20 blocks
//   before one. Reads refresh the entry's TTL (5 minutes). Usage: cache_read_input_tokens for
//   the read part, cache_creation_input_tokens from there to the last mark, input_tokens the rest.
// - OpenAI (automatic): every prompt is remembered; a later prompt that repeats at least 1,024
//   tokens of one reports the repeated part in 128-token steps as cached_tokens.
// Tokens are counted with the server's own estimate (estimate.ts): the fake has no tokenizer.
import { createHash } from 'node:crypto';
import { cacheMinimumTokens } from '../../../server/src/llm/providers/anthropic-cache.ts';
import { IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS, TOOLS_OVERHEAD_TOKENS, estimateTextTokens } from '../../../server/src/llm/estimate.ts';
import type { FakeRequest } from './script.ts';

export interface PromptCacheOptions {
  /** How long an unused entry lives (default 5 minutes, both providers' shortest). */
  ttlMs?: number;
  /** The clock entries expire by (default Date.now). */
  now?: () => number;
  /** Count the prompt but cache nothing: a provider without a cache (a benchmark's baseline). */
  off?: boolean;
  /**
   * Minimum cacheable prefixes to simulate instead of the documented ones, by model name prefix
   * (the longest that matches wins): e.g. `{'claude-sonnet-4-6': 2048}`, what users report for
   * Sonnet 4.6 against the documented 1,024. The server's marks do not change with it.
   */
  anthropicMinimums?: Readonly<Record<string, number>>;
}

export interface CachedUsage {
  /** The whole prompt. */
  input: number;
  cachedInput: number;
  cacheWrite: number;
}

export const OPENAI_CACHE_MINIMUM = 1024;
export const OPENAI_CACHE_STEP = 128;
const LOOKBACK_BLOCKS = 20;
const DEFAULT_TTL_MS = 5 * 60_000;

type Json = Record<string, unknown>;

interface Piece {
  /** What must be byte-identical for a prefix to match (the block without its cache mark). */
  key: string;
  tokens: number;
  marked: boolean;
}

function unmarked(block: Json): string {
  const { cache_control: _mark, ...rest } = block;
  return JSON.stringify(rest);
}

function blockTokens(block: Json): number {
  if (block.type === 'text' && typeof block.text === 'string') return estimateTextTokens(block.text);
  if (block.type === 'image') return IMAGE_TOKENS;
  return estimateTextTokens(unmarked(block));
}

/** An Anthropic request as the cache sees it: one piece per tool, system block and content block. */
function anthropicPieces(body: FakeRequest['body']): Piece[] {
  const pieces: Piece[] = [];
  const tools = (body.tools ?? []) as Json[];
  tools.forEach((tool, i) => {
    pieces.push({ key: `tool:${unmarked(tool)}`, tokens: estimateTextTokens(unmarked(tool)) + (i === 0 ? TOOLS_OVERHEAD_TOKENS : 0), marked: tool.cache_control != null });
  });
  const system = body.system;
  const systemBlocks: Json[] = typeof system === 'string' ? [{ type: 'text', text: system }] : Array.isArray(system) ? (system as Json[]) : [];
  for (const block of systemBlocks) pieces.push({ key: `system:${unmarked(block)}`, tokens: blockTokens(block), marked: block.cache_control != null });
  for (const [i, m] of ((body.messages ?? []) as { role: string; content: unknown }[]).entries()) {
    const blocks: Json[] = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : Array.isArray(m.content) ? (m.content as Json[]) : [];
    blocks.forEach((block, j) => {
      pieces.push({ key: `${i}:${m.role}:${unmarked(block)}`, tokens: blockTokens(block) + (j === 0 ? MESSAGE_OVERHEAD_TOKENS : 0), marked: block.cache_control != null });
    });
  }
  // A top-level cache_control marks the last cacheable block.
  if (body.cache_control != null && pieces.length) pieces[pieces.length - 1].marked = true;
  return pieces;
}

/** An OpenAI request as its cache sees it: the tools, then each message, as one text. */
function openaiText(body: FakeRequest['body']): string {
  return [JSON.stringify(body.tools ?? []), ...((body.messages ?? [])).map((m) => JSON.stringify(m))].join('\n');
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export class FakePromptCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #off: boolean;
  readonly #minimums: readonly [prefix: string, tokens: number][];
  /** Anthropic: prefix hash -> expiry. */
  readonly #prefixes = new Map<string, number>();
  /** OpenAI: prompts seen, by model, with their expiry. */
  readonly #prompts: { model: string; text: string; expires: number }[] = [];

  constructor(options: PromptCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.#off = options.off === true;
    this.#minimums = Object.entries(options.anthropicMinimums ?? {}).map(([prefix, tokens]): [string, number] => [prefix.toLowerCase(), tokens]);
  }

  /** The model's minimum cacheable prefix, as simulated. */
  anthropicMinimum(model: string): number {
    const name = model.trim().toLowerCase();
    const override = this.#minimums.filter(([prefix]) => name.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0];
    return override ? override[1] : cacheMinimumTokens(model);
  }

  clear(): void {
    this.#prefixes.clear();
    this.#prompts.length = 0;
  }

  anthropic(body: FakeRequest['body']): CachedUsage {
    const now = this.#now();
    for (const [key, expires] of this.#prefixes) if (expires <= now) this.#prefixes.delete(key);
    const model = typeof body.model === 'string' ? body.model : '';
    const min = this.anthropicMinimum(model);
    const pieces = anthropicPieces(body);
    const cumulative: number[] = [];
    let total = 0;
    for (const p of pieces) cumulative.push((total += p.tokens));
    const hashes: string[] = [];
    const hash = createHash('sha256').update(model);
    for (const p of pieces) hashes.push(hash.update(`\n${p.key}`).copy().digest('hex'));

    const marks = pieces.flatMap((p, i) => (p.marked ? [i] : []));
    let read = -1;
    for (const mark of marks) {
      for (let j = mark; j >= Math.max(0, mark - LOOKBACK_BLOCKS + 1); j--) {
        if (this.#prefixes.has(hashes[j])) {
          read = Math.max(read, j);
          break;
        }
      }
    }
    if (read >= 0) this.#prefixes.set(hashes[read], now + this.#ttlMs);
    let written = read;
    for (const mark of marks) {
      if (mark > read && cumulative[mark] >= min) {
        this.#prefixes.set(hashes[mark], now + this.#ttlMs);
        written = Math.max(written, mark);
      }
    }
    if (this.#off) return { input: total, cachedInput: 0, cacheWrite: 0 };
    const cachedInput = read >= 0 ? cumulative[read] : 0;
    const cacheWrite = written > read ? cumulative[written] - cachedInput : 0;
    return { input: total, cachedInput, cacheWrite };
  }

  openai(body: FakeRequest['body']): CachedUsage {
    const now = this.#now();
    for (let i = this.#prompts.length - 1; i >= 0; i--) if (this.#prompts[i].expires <= now) this.#prompts.splice(i, 1);
    const model = typeof body.model === 'string' ? body.model : '';
    const text = openaiText(body);
    const input = estimateTextTokens(text) + MESSAGE_OVERHEAD_TOKENS * ((body.messages ?? []).length || 1);
    let longest = 0;
    let match: { expires: number } | undefined;
    for (const seen of this.#prompts) {
      if (seen.model !== model) continue;
      const n = commonPrefix(seen.text, text);
      if (n > longest) {
        longest = n;
        match = seen;
      }
    }
    if (this.#off) return { input, cachedInput: 0, cacheWrite: 0 };
    const repeated = longest > 0 ? estimateTextTokens(text.slice(0, longest)) : 0;
    const cachedInput = repeated >= OPENAI_CACHE_MINIMUM && input >= OPENAI_CACHE_MINIMUM ? Math.min(input, OPENAI_CACHE_MINIMUM + Math.floor((repeated - OPENAI_CACHE_MINIMUM) / OPENAI_CACHE_STEP) * OPENAI_CACHE_STEP) : 0;
    if (match && cachedInput > 0) match.expires = now + this.#ttlMs;
    this.#prompts.push({ model, text, expires: now + this.#ttlMs });
    return { input, cachedInput, cacheWrite: 0 };
  }
}
