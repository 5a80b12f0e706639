// An LlmConfig that points every provider at a fake server, for createLlm() in tests.
import type { LlmConfig, LlmProviderName } from '../../../server/src/config/types.ts';
import type { FakeLlmServer } from './server.ts';

/** Keys the fakes expect when started with `apiKey: FAKE_KEYS.x` (shaped unlike real keys on purpose). */
export const FAKE_KEYS = {
  anthropic: 'test-anthropic-key-7f3a9c',
  openai: 'test-openai-key-2b8e41',
  nim: 'test-nim-key-90d1c5',
  gemini: 'test-gemini-key-5c72aa',
} as const;

export function fakeLlmConfig(fake: FakeLlmServer, provider: LlmProviderName, overrides: Partial<LlmConfig> = {}): LlmConfig {
  return {
    provider,
    model: undefined,
    cheapModel: undefined,
    fallback: undefined,
    anthropic: { apiKey: FAKE_KEYS.anthropic, baseUrl: fake.anthropicBaseUrl },
    openai: { apiKey: FAKE_KEYS.openai, baseUrl: fake.openaiBaseUrl },
    ollama: { host: fake.ollamaHost },
    nim: { apiKey: FAKE_KEYS.nim, baseUrl: fake.openaiBaseUrl },
    gemini: { apiKey: FAKE_KEYS.gemini, baseUrl: fake.geminiBaseUrl },
    budget: { dailyUsd: undefined, weeklyUsd: undefined, monthlyUsd: undefined },
    ...overrides,
  };
}
