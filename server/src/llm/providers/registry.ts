// Builds provider adapters from the configuration, lazily and once each, wrapped in the
// resilience layer. A provider without its key is an error naming the variable to set, raised
// when that provider is first needed (a fallback to Ollama must work without any cloud key).
import type { LlmConfig } from '../../config/types.ts';
import { LlmError, PROVIDER_KEY_ENV, PROVIDER_LABELS } from '../errors.ts';
import { withResilience, type ResilienceOptions } from '../resilience.ts';
import type { LlmProvider, ProviderName } from '../types.ts';
import { AnthropicProvider } from './anthropic.ts';
import { OllamaProvider } from './ollama.ts';
import { OPENAI_DEFAULT_BASE_URL, OpenAiCompatibleProvider } from './openai-compatible.ts';

export function createProvider(name: ProviderName, config: LlmConfig, now: () => number): LlmProvider {
  const missingKey = () =>
    new LlmError(`${PROVIDER_LABELS[name]} is not configured: set ${PROVIDER_KEY_ENV[name]} (or its add-on option).`, { kind: 'not_configured', provider: name });
  switch (name) {
    case 'anthropic':
      if (!config.anthropic.apiKey) throw missingKey();
      return new AnthropicProvider({ apiKey: config.anthropic.apiKey, baseUrl: config.anthropic.baseUrl, now, promptCache: config.promptCache });
    case 'openai':
      if (!config.openai.apiKey) throw missingKey();
      return new OpenAiCompatibleProvider({ name, apiKey: config.openai.apiKey, baseUrl: config.openai.baseUrl ?? OPENAI_DEFAULT_BASE_URL, now });
    case 'nim':
      if (!config.nim.apiKey) throw missingKey();
      return new OpenAiCompatibleProvider({ name, apiKey: config.nim.apiKey, baseUrl: config.nim.baseUrl, now });
    case 'gemini':
      if (!config.gemini.apiKey) throw missingKey();
      return new OpenAiCompatibleProvider({ name, apiKey: config.gemini.apiKey, baseUrl: config.gemini.baseUrl, now });
    case 'ollama':
      return new OllamaProvider({ host: config.ollama.host, now });
  }
}

export class ProviderRegistry {
  readonly #config: LlmConfig;
  readonly #resilience: ResilienceOptions;
  readonly #make: (name: ProviderName) => LlmProvider;
  readonly #built = new Map<ProviderName, LlmProvider>();

  constructor(config: LlmConfig, resilience: ResilienceOptions, make?: (name: ProviderName) => LlmProvider) {
    this.#config = config;
    this.#resilience = resilience;
    this.#make = make ?? ((name) => createProvider(name, this.#config, () => this.#resilience.clock.now()));
  }

  get(name: ProviderName): LlmProvider {
    let provider = this.#built.get(name);
    if (!provider) {
      provider = withResilience(this.#make(name), this.#resilience);
      this.#built.set(name, provider);
    }
    return provider;
  }
}
