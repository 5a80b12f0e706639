// Which model answers which call. The conversation (and the planner, and agents) use the main
// model; intent classification, fact extraction and summaries may use a cheaper one
// (LLM_CHEAP_MODEL). Either may name another provider as `provider:model`.
import { z } from 'zod';
import type { LlmConfig } from '../config/types.ts';
import { isProviderName, type ProviderName } from './types.ts';

export const DEFAULT_MODELS: Record<ProviderName, string> = {
  anthropic: 'claude-sonnet-4-6',
  openai: 'gpt-4o',
  ollama: 'llama3',
  nim: 'meta/llama-3.3-70b-instruct',
  gemini: 'gemini-2.5-flash',
};

/**
 * Every place in the system that calls an LLM; recorded in the ledger with each call.
 * `actuate`: turning a device command into service calls (the one-off actuator); `ai_task`: Home
 * Assistant's AI Task through the companion integration.
 */
export const CALL_SITES = ['conversation', 'planner', 'actuate', 'agent', 'classifier', 'facts', 'summary', 'ai_task'] as const;
export const CallSiteSchema = z.enum(CALL_SITES);
export type CallSite = z.infer<typeof CallSiteSchema>;

const CHEAP_SITES: ReadonlySet<CallSite> = new Set(['classifier', 'facts', 'summary']);

export interface ModelRef {
  provider: ProviderName;
  model: string;
}

/** `provider:model` read as such, or undefined when the text names no known provider. */
export function explicitModelRef(text: string): ModelRef | undefined {
  // Ollama tags contain colons too (`llama3:8b`): only a known provider name before the first one counts.
  const colon = text.indexOf(':');
  const head = colon === -1 ? '' : text.slice(0, colon);
  return isProviderName(head) && colon < text.length - 1 ? { provider: head, model: text.slice(colon + 1) } : undefined;
}

/** Reads `provider:model`, or a bare model name that belongs to `defaultProvider`. */
export function parseModelRef(text: string, defaultProvider: ProviderName): ModelRef {
  return explicitModelRef(text) ?? { provider: defaultProvider, model: text };
}

export function formatModelRef(ref: ModelRef): string {
  return `${ref.provider}:${ref.model}`;
}

/** The model for a call site, or undefined when no provider is configured. */
export function modelFor(config: LlmConfig, site: CallSite): ModelRef | undefined {
  if (config.provider === 'none') return undefined;
  const main = config.model ? parseModelRef(config.model, config.provider) : { provider: config.provider, model: DEFAULT_MODELS[config.provider] };
  if (CHEAP_SITES.has(site) && config.cheapModel) return parseModelRef(config.cheapModel, main.provider);
  return main;
}

/** The configured budget fallback (the option only accepts `provider:model`), if any. */
export function fallbackModel(config: LlmConfig): ModelRef | undefined {
  return config.fallback ? explicitModelRef(config.fallback) : undefined;
}
