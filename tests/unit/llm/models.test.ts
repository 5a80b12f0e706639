// Model references as users write them in the options (LLM_MODEL, LLM_CHEAP_MODEL, LLM_FALLBACK).
import { describe, expect, it } from 'vitest';
import { explicitModelRef, fallbackModel, modelFor, parseModelRef } from '../../../server/src/llm/models.ts';
import type { LlmConfig } from '../../../server/src/config/types.ts';

const base: LlmConfig = {
  provider: 'anthropic',
  model: undefined,
  cheapModel: undefined,
  fallback: undefined,
  anthropic: { apiKey: 'k', baseUrl: undefined },
  openai: { apiKey: undefined, baseUrl: undefined },
  ollama: { host: 'http://127.0.0.1:11434' },
  nim: { apiKey: undefined, baseUrl: 'https://integrate.api.nvidia.com/v1' },
  gemini: { apiKey: undefined, baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/' },
  budget: { dailyUsd: undefined, weeklyUsd: undefined, monthlyUsd: undefined },
};

describe('model references', () => {
  it('reads provider:model, keeping Ollama tags whole', () => {
    expect(parseModelRef('ollama:llama3.2:3b', 'anthropic')).toEqual({ provider: 'ollama', model: 'llama3.2:3b' });
    expect(parseModelRef('llama3:8b', 'ollama')).toEqual({ provider: 'ollama', model: 'llama3:8b' });
    expect(parseModelRef('nim:meta/llama-3.1-8b-instruct', 'openai')).toEqual({ provider: 'nim', model: 'meta/llama-3.1-8b-instruct' });
    expect(parseModelRef('gpt-4o-mini', 'openai')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(explicitModelRef('claude-haiku-4-5')).toBeUndefined();
  });

  it('defaults to the seed models and uses the cheap model only for cheap call sites', () => {
    expect(modelFor(base, 'conversation')).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    expect(modelFor(base, 'summary')).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    const cheap = { ...base, cheapModel: 'claude-haiku-4-5' };
    expect(modelFor(cheap, 'facts')).toEqual({ provider: 'anthropic', model: 'claude-haiku-4-5' });
    expect(modelFor(cheap, 'planner')).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
    expect(modelFor({ ...base, provider: 'none' }, 'conversation')).toBeUndefined();
    expect(fallbackModel({ ...base, fallback: 'ollama:llama3' })).toEqual({ provider: 'ollama', model: 'llama3' });
  });
});
