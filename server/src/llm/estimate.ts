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

/**
 * Tokens of a text. BPE tokenizers fold about four characters of English words into one token,
 * but split numbers into short digit groups and give much punctuation a token of its own (JSON
 * readings, code); characters outside ASCII (Greek, CJK, emoji) are about a token each or more.
 * Checked against OpenAI's o200k and cl100k tokenizers on prose, HA state JSON, numeric JSON,
 * agent code, German, Greek and Chinese: at or above the o200k count everywhere, within 10% under
 * cl100k at worst (Chinese); plain chars/4 was 40% under on numeric JSON and 4x under on Greek.
 */
export function estimateTextTokens(text: string): number {
  let words = 0;
  let digits = 0;
  let symbols = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair is one character (an emoji, a rare ideograph).
      other++;
      i++;
    } else if (c > 0x7f) other++;
    else if (c >= 0x30 && c <= 0x39) digits++;
    else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x20 || c === 0x0a || c === 0x09) words++;
    else symbols++;
  }
  return Math.ceil(words / 4 + digits / 2 + symbols / 2 + other * 1.25);
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
