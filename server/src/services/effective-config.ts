// SettingsService: the non-secret effective configuration (contract/effective-config.ts), picked
// field by field from the loaded Config. An allow list, not config/load.ts's redactConfig: a
// secret added to Config later stays out until someone decides to show it, and URLs (an MQTT URL
// or a provider's base URL may carry user:password) are left out as a whole.
import type { Config } from '../config/types.ts';
import type { EffectiveConfig } from '../contract/effective-config.ts';
import type { SettingsService } from '../contract/services.ts';
import { formatModelRef, modelFor } from '../llm/models.ts';

/** Whether the chosen provider has what it needs to be called (providers/registry.ts refuses otherwise). */
function llmConfigured(llm: Config['llm']): boolean {
  switch (llm.provider) {
    case 'none':
      return false;
    case 'ollama':
      return true;
    case 'anthropic':
    case 'openai':
    case 'nim':
    case 'gemini':
      return llm[llm.provider].apiKey !== undefined;
  }
}

export function effectiveConfig(config: Config): EffectiveConfig {
  const { llm } = config;
  const main = modelFor(llm, 'conversation');
  const cheap = modelFor(llm, 'summary');
  return {
    llm: {
      provider: llm.provider,
      configured: llmConfigured(llm),
      model: main ? formatModelRef(main) : null,
      cheap_model: cheap ? formatModelRef(cheap) : null,
      fallback: llm.fallback ?? null,
      routing: llm.routing ?? 'tools',
      prompt_cache: llm.promptCache ?? true,
    },
    budget: { daily_usd: llm.budget.dailyUsd ?? null, weekly_usd: llm.budget.weeklyUsd ?? null, monthly_usd: llm.budget.monthlyUsd ?? null },
    mqtt: { mode: config.mqtt.mode, topic_root: config.topicRoot, read_topics: [...config.mqttReadTopics] },
    ha: {
      mode: config.ha.mode,
      bridge_domains: [...config.haBridge.domains],
      bridge_per_entity_topics: config.haBridge.perEntityTopics,
      discovery_prefix: config.haDiscovery.prefix,
      discovery_commands: config.haDiscovery.commands,
    },
    channels: { telegram: config.channels.telegram !== undefined, discord: config.channels.discord !== undefined, whatsapp: config.channels.whatsapp !== undefined },
    assist: { non_admin: config.integration.nonAdmin, wyoming_port: config.wyomingPort },
    in_addon: config.inAddon,
  };
}

export function createSettingsService(config: Config): SettingsService {
  return { effective: async () => effectiveConfig(config) };
}
