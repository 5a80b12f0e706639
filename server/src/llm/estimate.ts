// What a call may cost before it is made: the amount the budget reserves while the call is in
// flight. No tokenizer library: the count is a character-class estimate that errs high on
// purpose (a reservation that is too small lets concurrent calls overshoot the cap; one that is
// a little too large only admits a few fewer calls at once). Output is priced at the call's
// whole token allowance, because a model may use all of it.
import type { LlmMessage, ToolDefinition } from './messages.ts';
import { costOf, type Price } from './pricing.ts';
import { DEFAULT_MAX_TOKENS, type Usage } from './types.ts';

/**
 * Tokens an image may cost: Anthropic bills up to ~1,600 for an image at its 1.15 megapixel
 * limit; OpenAI's high-detail tiling of a 2048x768 image comes to ~1,450.
 */
export const IMAGE_TOKENS = 1600;
/** Role markers and separators the providers add around each message. */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** The tool-use instructions Anthropic and OpenAI add to the prompt when tools are offered. */
export const TOOLS_OVERHEAD_TOKENS = 350;

export interface EstimateRequest {
  messages: readonly LlmMessage[];
  system?: string | undefined;
  tools?: readonly ToolDefinition[] | undefined;
  maxTokens?: number | undefined;
}

const WORD = 1;
const DIGIT = 2;
const SPACE = 3;
const BREAK = 4;
const SYMBOL = 5;
const OTHER = 6;

function classOf(c: number): number {
  if (c > 0x7f) return OTHER;
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return WORD;
  if (c >= 0x30 && c <= 0x39) return DIGIT;
  if (c === 0x20) return SPACE;
  if (c === 0x0a || c === 0x0d || c === 0x09) return BREAK;
  return SYMBOL;
}

/**
 * Tokens of a text, following how BPE tokenizers pre-split it: a run of letters (with the one
 * space before it) is a token per ~5 letters, numbers go in groups of up to three digits, a space
 * not followed by a word is a token of its own, punctuation runs take a token per two characters,
 * and characters outside ASCII (Greek, CJK, emoji) more than a token each. Checked against
 * OpenAI's o200k and cl100k tokenizers: 0.9-1.6x their count on prose, HA state JSON, numeric
 * JSON, hourly readings, agent code, German, Greek and Chinese (emoji-heavy text ~0.8x); plain
 * chars/4 was 0.6x on numeric JSON and readings, and 0.3x on Greek.
 */
export function estimateTextTokens(text: string): number {
  let tokens = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const k = classOf(c);
    if (k === OTHER) {
      tokens += 1.25;
      // A surrogate pair is one character (an emoji, a rare ideograph).
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      continue;
    }
    let j = i + 1;
    while (j < n && classOf(text.charCodeAt(j)) === k) j++;
    const len = j - i;
    if (k === WORD) tokens += Math.ceil(len / 5);
    else if (k === DIGIT) tokens += Math.ceil(len / 3);
    else if (k === SYMBOL) tokens += Math.ceil(len / 2);
    else if (k === BREAK) tokens += 1;
    else tokens += (len > 1 ? 1 : 0) + (j < n && classOf(text.charCodeAt(j)) === WORD ? 0 : 1);
    i = j;
  }
  return Math.ceil(tokens);
}

export function estimateInputTokens(request: EstimateRequest): number {
  let tokens = request.system ? estimateTextTokens(request.system) + MESSAGE_OVERHEAD_TOKENS : 0;
  for (const m of request.messages) {
    tokens += MESSAGE_OVERHEAD_TOKENS;
    if (typeof m.content === 'string') tokens += estimateTextTokens(m.content);
    else for (const part of m.content) tokens += part.type === 'text' ? estimateTextTokens(part.text) : IMAGE_TOKENS;
    if (m.role === 'assistant' && m.toolCalls) {
      for (const call of m.toolCalls) tokens += MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(call.name + JSON.stringify(call.arguments));
    }
    if (m.role === 'tool' && m.name) tokens += estimateTextTokens(m.name);
  }
  if (request.tools?.length) tokens += TOOLS_OVERHEAD_TOKENS + estimateTextTokens(JSON.stringify(request.tools));
  return tokens;
}

/**
 * The usage to reserve for: the estimated prompt, all of it at the fresh-input rate (no
 * prompt-cache discount is assumed), and the whole output allowance. Without a max, the
 * allowance is DEFAULT_MAX_TOKENS: what the Anthropic adapter sends; OpenAI-compatible APIs get
 * no max then and may, rarely, answer longer than the reservation (the ledger records the truth).
 */
export function estimateUsage(request: EstimateRequest): Usage {
  return {
    inputTokens: estimateInputTokens(request),
    outputTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
  };
}

/** USD to reserve for a request at a price; null when the model is unpriced. */
export function estimateCostUsd(request: EstimateRequest, price: Price | undefined): number | null {
  return costOf(estimateUsage(request), price);
}
