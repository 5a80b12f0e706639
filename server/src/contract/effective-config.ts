// The configuration as a client may see it: what the options resolved to, never a secret. Built
// field by field from the loaded Config (services/effective-config.ts), so a new secret option
// cannot leak by being forgotten in a redaction list; API keys, tokens, passwords and URLs that
// may carry credentials are simply not fields here.
import { z } from 'zod';

const Usd = z.number().nullable();

export const EffectiveConfig = z.object({
  llm: z.object({
    provider: z.enum(['anthropic', 'openai', 'ollama', 'nim', 'gemini', 'none']),
    /** A provider is chosen and has what it needs to be called (its API key; Ollama needs none). */
    configured: z.boolean(),
    /** `provider:model` of the conversation model, and of the cheap one (classification, summaries); null: none. */
    model: z.string().nullable(),
    cheap_model: z.string().nullable(),
    fallback: z.string().nullable(),
    routing: z.enum(['tools', 'classifier']),
    prompt_cache: z.boolean(),
  }),
  budget: z.object({ daily_usd: Usd, weekly_usd: Usd, monthly_usd: Usd }),
  mqtt: z.object({
    mode: z.enum(['external', 'supervisor', 'embedded']),
    topic_root: z.string(),
    /** mqtt_read_topics: device topics outside the root agents and rules may read. */
    read_topics: z.array(z.string()),
  }),
  ha: z.object({
    mode: z.enum(['supervisor', 'direct', 'demo']),
    /** ha_bridge_domains: empty means every domain. */
    bridge_domains: z.array(z.string()),
    bridge_per_entity_topics: z.boolean(),
    discovery_prefix: z.string(),
    discovery_commands: z.boolean(),
  }),
  channels: z.object({ telegram: z.boolean(), discord: z.boolean(), whatsapp: z.boolean() }),
  assist: z.object({ non_admin: z.enum(['restricted', 'full']), wyoming_port: z.number().int() }),
  in_addon: z.boolean(),
});
export type EffectiveConfig = z.infer<typeof EffectiveConfig>;
