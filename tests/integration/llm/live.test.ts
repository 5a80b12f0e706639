// Opt-in check against the real providers: one tiny call (a few dozen tokens) per provider whose
// key is in the environment. Without the key the test is skipped and says which variable turns
// it on; this is the only skip in the suite, because real providers cannot be reached in CI.
import { describe, expect, it } from 'vitest';
import type { LlmConfig } from '../../../server/src/config/types.ts';
import { createLlm } from '../../../server/src/llm/create.ts';
import { DEFAULT_MODELS } from '../../../server/src/llm/models.ts';
import type { ProviderName } from '../../../server/src/llm/types.ts';
import { openDatabase } from '../../../server/src/store/database.ts';
import { LLM_MIGRATIONS } from '../../../server/src/store/migrations/llm.ts';

const env = process.env;

function liveConfig(provider: ProviderName): LlmConfig {
  return {
    provider,
    model: undefined,
    cheapModel: undefined,
    fallback: undefined,
    anthropic: { apiKey: env.ANTHROPIC_API_KEY, baseUrl: env.ANTHROPIC_BASE_URL },
    openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL },
    ollama: { host: env.OLLAMA_HOST ?? 'http://127.0.0.1:11434' },
    nim: { apiKey: env.NIM_API_KEY, baseUrl: env.NIM_BASE_URL ?? 'https://integrate.api.nvidia.com/v1' },
    gemini: { apiKey: env.GEMINI_API_KEY ?? env.GOOGLE_API_KEY, baseUrl: env.GEMINI_BASE_URL ?? 'https://generativelanguage.googleapis.com/v1beta/openai/' },
    budget: { dailyUsd: undefined, weeklyUsd: undefined, monthlyUsd: undefined },
  };
}

const LIVE: [ProviderName, string, string | undefined][] = [
  ['anthropic', 'ANTHROPIC_API_KEY', env.ANTHROPIC_API_KEY],
  ['openai', 'OPENAI_API_KEY', env.OPENAI_API_KEY],
  ['nim', 'NIM_API_KEY', env.NIM_API_KEY],
  ['gemini', 'GEMINI_API_KEY', env.GEMINI_API_KEY ?? env.GOOGLE_API_KEY],
  ['ollama', 'OLLAMA_HOST', env.OLLAMA_HOST],
];

describe('live providers (opt-in)', () => {
  it.for(LIVE)('%s answers one real call (runs only when %s is set)', async ([provider, variable, key], ctx) => {
    ctx.skip(!key, `live ${provider} check skipped: set ${variable} to run one real call against ${provider}`);
    const db = openDatabase({ dataDir: ':memory:', migrations: LLM_MIGRATIONS });
    try {
      const llm = createLlm(liveConfig(provider), { db });
      const result = await llm.complete({ callSite: 'conversation', agent: 'live-check', system: 'Answer with one word.', messages: [{ role: 'user', content: 'Say OK.' }], maxTokens: 16, timeoutMs: 60_000 });
      expect(result.text.trim()).not.toBe('');
      expect(result.usage.inputTokens).toBeGreaterThan(0);
      expect(result.provider).toBe(provider);
      expect(result.model.toLowerCase()).toContain(DEFAULT_MODELS[provider].split('/').pop()!.slice(0, 6).toLowerCase());
      expect(llm.ledger.report({ period: 'all' }).totals.calls).toBe(1);
    } finally {
      db.close();
    }
  });
});
