// The contract every provider adapter implements, and the token usage it reports.
import type { LlmProviderName } from '../config/types.ts';
import type { LlmMessage, ToolCall, ToolDefinition } from './messages.ts';

/** A provider that can actually be called ('none' is the absence of one). */
export type ProviderName = Exclude<LlmProviderName, 'none'>;

export const PROVIDER_NAMES: readonly ProviderName[] = ['anthropic', 'openai', 'ollama', 'nim', 'gemini'];

export function isProviderName(value: string): value is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(value);
}

/**
 * Tokens of one call, normalised across providers. `inputTokens` is the whole prompt, cached
 * parts included; `cachedInputTokens` and `cacheWriteTokens` say which part of it was read from
 * or written to the provider's prompt cache (billed at other rates).
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };

export type StopReason = 'end' | 'tool_use' | 'max_tokens' | 'other';

export interface ProviderCallOptions {
  model: string;
  tools?: readonly ToolDefinition[];
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  /** Per attempt; for streams, the longest silence between two deltas. Read by the resilience layer. */
  timeoutMs?: number;
}

export interface ProviderResult {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  /** The model the provider says answered (may be a dated id such as gpt-4o-2024-08-06). */
  model: string;
  stopReason: StopReason;
}

/** What a stream yields: text as it arrives, each tool call once complete, then one `done`. */
export type StreamDelta =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'done'; usage: Usage; model: string; stopReason: StopReason };

export interface LlmProvider {
  readonly name: ProviderName;
  complete(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions): Promise<ProviderResult>;
  stream(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions): AsyncIterable<StreamDelta>;
}

export const DEFAULT_MAX_TOKENS = 4096;
