// The table of every configuration option, declared once. Each option can come from a
// command-line flag, an environment variable or the add-on's /data/options.json; the loader
// (load.ts) applies them in that order of precedence over the default, and the add-on manifest
// test checks config.yaml against the `addon` names here.
import { z } from 'zod';

export const LLM_PROVIDERS = ['anthropic', 'openai', 'ollama', 'nim', 'gemini', 'none'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export interface OptionSpec {
  /** Environment variable name; also the canonical name used in messages. */
  readonly env: string;
  /** Command-line flag, without the leading dashes. */
  readonly flag: string;
  /** Key in the add-on's options.json, when the add-on exposes it. */
  readonly addon?: string;
  /** Parses one raw value (a string from flags/env, or a JSON value from options.json). */
  readonly schema: z.ZodType;
  /** What is allowed, for error messages. */
  readonly allowed: string;
  readonly secret?: boolean;
  readonly description: string;
}

const str = z.string().trim().min(1);
const url = z
  .string()
  .trim()
  .refine((v) => URL.canParse(v), 'not a URL');
const mqttUrl = url.refine((v) => /^(mqtts?|wss?|tcp|ssl):\/\//.test(v), 'not an mqtt://, mqtts://, ws:// or wss:// URL');
const int = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v), z.number().int().min(min).max(max));
const num = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v), z.number().min(min).max(max));
/** A comma-separated list (env, flags, a string option) or a JSON list (options.json) of ids. */
const idList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : Array.isArray(v) ? v.map((x) => String(x).trim()).filter((s) => s !== '') : v),
  z.array(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/)).min(1),
);
/** Phone numbers in international form, normalised to digits only (what WhatsApp sends as `from`). */
const phoneList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',') : v),
  z.array(z.string().trim().regex(/^\+?[\d\s-]{6,20}$/).transform((s) => s.replace(/\D/g, ''))).min(1),
);
/** MQTT topic filters, comma-separated (env, flags, a string option) or a JSON list; checked against the root by load.ts. */
const topicFilterList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : Array.isArray(v) ? v.map((x) => String(x).trim()).filter((s) => s !== '') : v),
  z.array(z.string().min(1).max(512)).max(100),
);
/** LAN hosts (addresses, CIDR ranges, names), comma-separated or a JSON list; checked by load.ts (sandbox/fetch/allowed-hosts.ts). */
const hostList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : Array.isArray(v) ? v.map((x) => String(x).trim()).filter((s) => s !== '') : v),
  z.array(z.string().min(1).max(253)).max(100),
);
/** Home Assistant domains (light, binary_sensor), comma-separated or a JSON list. */
const domainList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : Array.isArray(v) ? v.map((x) => String(x).trim()).filter((s) => s !== '') : v),
  z.array(z.string().regex(/^[a-z0-9_]+$/, 'a Home Assistant domain such as light or binary_sensor')).max(100),
);
const bool = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return v;
}, z.boolean());

export const OPTIONS = {
  dataDir: { env: 'WACTORZ_DATA_DIR', flag: 'data-dir', schema: str, allowed: 'a directory path', description: 'Where the SQLite database and agent state live.' },
  optionsFile: { env: 'WACTORZ_OPTIONS_FILE', flag: 'options-file', schema: str, allowed: 'a file path', description: "The add-on's options file." },
  host: { env: 'WACTORZ_HOST', flag: 'host', schema: str, allowed: 'an interface address such as 127.0.0.1 or 0.0.0.0', description: 'Address the HTTP server binds to.' },
  port: { env: 'WACTORZ_PORT', flag: 'port', schema: int(1, 65535), allowed: 'an integer from 1 to 65535', description: 'HTTP port (the ingress port in the add-on).' },
  wyomingPort: { env: 'WACTORZ_WYOMING_PORT', flag: 'wyoming-port', addon: 'wyoming_port', schema: int(0, 65535), allowed: 'an integer from 0 to 65535 (0 turns it off)', description: "Port of the Wyoming server Home Assistant's Assist talks to (0 turns it off)." },
  logLevel: { env: 'WACTORZ_LOG_LEVEL', flag: 'log-level', addon: 'log_level', schema: z.enum(LOG_LEVELS), allowed: LOG_LEVELS.join(', '), description: 'How much the server logs.' },
  apiKey: { env: 'WACTORZ_API_KEY', flag: 'api-key', addon: 'api_key', schema: z.string().trim().min(16, 'at least 16 characters'), allowed: 'a secret of at least 16 characters', secret: true, description: 'Bearer key for API clients that do not come through ingress.' },
  mqttUrl: { env: 'MQTT_URL', flag: 'mqtt-url', addon: 'mqtt_url', schema: mqttUrl, allowed: 'an mqtt://, mqtts://, ws:// or wss:// URL', description: 'External MQTT broker. Unset: the Supervisor MQTT service in the add-on, else an embedded broker.' },
  mqttUsername: { env: 'MQTT_USERNAME', flag: 'mqtt-username', addon: 'mqtt_username', schema: str, allowed: 'a user name', description: 'MQTT user name.' },
  mqttPassword: { env: 'MQTT_PASSWORD', flag: 'mqtt-password', addon: 'mqtt_password', schema: str, allowed: 'a password', secret: true, description: 'MQTT password.' },
  mqttTopicRoot: { env: 'MQTT_TOPIC_ROOT', flag: 'mqtt-topic-root', addon: 'mqtt_topic_root', schema: z.string().trim().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'letters, digits, _ and - segments separated by /'), allowed: 'topic segments of letters, digits, _ and -, such as wactorz', description: 'Root under which every system topic lives.' },
  mqttReadTopics: { env: 'MQTT_READ_TOPICS', flag: 'mqtt-read-topics', addon: 'mqtt_read_topics', schema: topicFilterList, allowed: 'comma-separated MQTT topic filters outside the topic root, such as zigbee2mqtt/#,tasmota/tele/+/SENSOR', description: 'Device topics outside the topic root that agents and rules may read (never publish); empty: only topics under the root.' },
  haDiscoveryPrefix: { env: 'HA_DISCOVERY_PREFIX', flag: 'ha-discovery-prefix', addon: 'ha_discovery_prefix', schema: z.string().trim().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'letters, digits, _ and - segments separated by /'), allowed: 'topic segments of letters, digits, _ and -, such as homeassistant', description: "Home Assistant's MQTT discovery prefix, under which agents and rules appear as HA entities." },
  haDiscoveryCommands: { env: 'HA_DISCOVERY_COMMANDS', flag: 'ha-discovery-commands', addon: 'ha_discovery_commands', schema: bool, allowed: 'true or false', description: "Whether HA's switches and buttons for agents and rules may act (enable/disable rules, pause/restart agents); false leaves read-only entities." },
  haBridgeDomains: { env: 'HA_BRIDGE_DOMAINS', flag: 'ha-bridge-domains', addon: 'ha_bridge_domains', schema: domainList, allowed: 'comma-separated Home Assistant domains, such as light,binary_sensor,sensor', description: 'Domains whose state changes the state bridge publishes on ha/state_changes/...: rules trigger on these only; empty: all.' },
  haBridgePerEntityTopics: { env: 'HA_BRIDGE_PER_ENTITY_TOPICS', flag: 'ha-bridge-per-entity-topics', addon: 'ha_bridge_per_entity_topics', schema: bool, allowed: 'true or false', description: "Whether the state bridge publishes each entity's changes on its own topic ha/state_changes/<domain>/<entity_id> (default); false puts every change on the one topic ha/state_changes, where no rule listens." },
  mqttEmbeddedHost: { env: 'MQTT_EMBEDDED_HOST', flag: 'mqtt-embedded-host', schema: str, allowed: 'an interface address', description: 'Address the embedded broker listens on (loopback by default).' },
  mqttEmbeddedPort: { env: 'MQTT_EMBEDDED_PORT', flag: 'mqtt-embedded-port', schema: int(0, 65535), allowed: 'an integer from 0 to 65535 (0 picks a free port)', description: 'Port of the embedded broker.' },
  haUrl: { env: 'HA_URL', flag: 'ha-url', addon: 'ha_url', schema: url, allowed: 'an http(s) URL of Home Assistant', description: 'Home Assistant URL, when not using the Supervisor proxy.' },
  haToken: { env: 'HA_TOKEN', flag: 'ha-token', addon: 'ha_token', schema: str, allowed: 'a long-lived access token', secret: true, description: 'Home Assistant long-lived access token.' },
  supervisorToken: { env: 'SUPERVISOR_TOKEN', flag: 'supervisor-token', schema: str, allowed: 'the token the Supervisor gives the add-on', secret: true, description: 'Set by the Supervisor inside the add-on.' },
  llmProvider: { env: 'LLM_PROVIDER', flag: 'llm', addon: 'llm_provider', schema: z.enum(LLM_PROVIDERS), allowed: LLM_PROVIDERS.join(', '), description: 'Which LLM provider the orchestrator uses.' },
  llmModel: { env: 'LLM_MODEL', flag: 'llm-model', addon: 'llm_model', schema: str, allowed: 'a model name', description: "Conversation model (default: the provider's default)." },
  llmCheapModel: { env: 'LLM_CHEAP_MODEL', flag: 'llm-cheap-model', addon: 'llm_cheap_model', schema: str, allowed: 'a model name', description: 'Cheaper model for intent classification, fact extraction and summaries.' },
  llmRouting: { env: 'LLM_ROUTING', flag: 'llm-routing', schema: z.enum(['tools', 'classifier']), allowed: 'tools or classifier', description: "How plain chat messages are routed: 'tools' (default) answers in one call with Home Assistant tools where the provider takes tools; 'classifier' always classifies first, then calls the handler." },
  llmPromptCache: { env: 'LLM_PROMPT_CACHE', flag: 'llm-prompt-cache', schema: bool, allowed: 'true or false', description: "Whether Anthropic requests mark the stable prompt prefix (tools, system prompt, the history before this turn) for the provider's prompt cache, billed at a tenth of the input price when read again; OpenAI caches such prefixes by itself." },
  llmFallback: { env: 'LLM_FALLBACK', flag: 'llm-fallback', addon: 'llm_fallback', schema: z.string().trim().regex(/^(anthropic|openai|ollama|nim|gemini):.+$/, 'provider:model'), allowed: 'provider:model, such as ollama:llama3', description: 'Model used instead of refusing once the budget is spent.' },
  budgetDailyUsd: { env: 'LLM_BUDGET_DAILY_USD', flag: 'budget-daily', addon: 'budget_daily_usd', schema: num(0, 1e6), allowed: 'a number of US dollars, 0 or more', description: 'Daily LLM spending cap.' },
  budgetWeeklyUsd: { env: 'LLM_BUDGET_WEEKLY_USD', flag: 'budget-weekly', addon: 'budget_weekly_usd', schema: num(0, 1e6), allowed: 'a number of US dollars, 0 or more', description: 'Weekly LLM spending cap.' },
  budgetMonthlyUsd: { env: 'LLM_BUDGET_MONTHLY_USD', flag: 'budget-monthly', addon: 'budget_monthly_usd', schema: num(0, 1e6), allowed: 'a number of US dollars, 0 or more', description: 'Monthly LLM spending cap.' },
  anthropicApiKey: { env: 'ANTHROPIC_API_KEY', flag: 'anthropic-api-key', addon: 'anthropic_api_key', schema: str, allowed: 'an Anthropic API key', secret: true, description: 'Anthropic API key.' },
  anthropicBaseUrl: { env: 'ANTHROPIC_BASE_URL', flag: 'anthropic-base-url', addon: 'anthropic_base_url', schema: url, allowed: 'an http(s) URL', description: 'Anthropic API base URL.' },
  openaiApiKey: { env: 'OPENAI_API_KEY', flag: 'openai-api-key', addon: 'openai_api_key', schema: str, allowed: 'an OpenAI API key', secret: true, description: 'OpenAI API key.' },
  openaiBaseUrl: { env: 'OPENAI_BASE_URL', flag: 'openai-base-url', addon: 'openai_base_url', schema: url, allowed: 'an http(s) URL', description: 'OpenAI API base URL (any OpenAI-compatible server).' },
  ollamaHost: { env: 'OLLAMA_HOST', flag: 'ollama-host', addon: 'ollama_host', schema: url, allowed: 'an http(s) URL such as http://homeassistant.local:11434', description: 'Ollama server URL.' },
  nimApiKey: { env: 'NIM_API_KEY', flag: 'nim-api-key', addon: 'nim_api_key', schema: str, allowed: 'an NVIDIA NIM API key', secret: true, description: 'NVIDIA NIM API key.' },
  nimBaseUrl: { env: 'NIM_BASE_URL', flag: 'nim-base-url', addon: 'nim_base_url', schema: url, allowed: 'an http(s) URL', description: 'NVIDIA NIM OpenAI-compatible base URL.' },
  geminiApiKey: { env: 'GEMINI_API_KEY', flag: 'gemini-api-key', addon: 'gemini_api_key', schema: str, allowed: 'a Google Gemini API key', secret: true, description: 'Google Gemini API key.' },
  geminiBaseUrl: { env: 'GEMINI_BASE_URL', flag: 'gemini-base-url', addon: 'gemini_base_url', schema: url, allowed: 'an http(s) URL', description: "Gemini's OpenAI-compatible base URL." },
  sandboxMemoryMb: { env: 'SANDBOX_MEMORY_MB', flag: 'sandbox-memory-mb', addon: 'sandbox_memory_mb', schema: int(8, 1024), allowed: 'an integer from 8 to 1024', description: 'Memory limit of each sandboxed agent, in MB.' },
  sandboxAllowedHosts: { env: 'SANDBOX_ALLOWED_HOSTS', flag: 'sandbox-allowed-hosts', addon: 'sandbox_allowed_hosts', schema: hostList, allowed: 'comma-separated LAN IP addresses, CIDR ranges or host names, such as 192.168.1.40,192.168.2.0/24,inverter.lan (never 172.30.32.0/23)', description: "LAN services sandboxed agents' http.fetch may reach (everything else private stays refused)." },
  ruleTraceCount: { env: 'RULE_TRACE_COUNT', flag: 'rule-trace-count', addon: 'rule_trace_count', schema: int(10, 10000), allowed: 'an integer from 10 to 10000', description: 'Evaluations kept per rule for /rules trace (the newest; agent.trace steps are counted per agent).' },
  ruleTraceDays: { env: 'RULE_TRACE_DAYS', flag: 'rule-trace-days', addon: 'rule_trace_days', schema: int(1, 365), allowed: 'an integer from 1 to 365', description: 'Days a rule evaluation trace is kept.' },
  telegramBotToken: { env: 'TELEGRAM_BOT_TOKEN', flag: 'telegram-bot-token', addon: 'telegram_bot_token', schema: str, allowed: "a bot token from Telegram's @BotFather", secret: true, description: 'Telegram bot token; set it to talk to Wactorz from Telegram (interfaces/telegram/).' },
  telegramAllowedUsers: { env: 'TELEGRAM_ALLOWED_USERS', flag: 'telegram-allowed-users', addon: 'telegram_allowed_users', schema: idList, allowed: 'comma-separated Telegram user ids, such as 123456789,987654321', description: 'Telegram user ids allowed to talk to the bot; everyone else is politely refused.' },
  telegramApiRoot: { env: 'TELEGRAM_API_ROOT', flag: 'telegram-api-root', addon: 'telegram_api_root', schema: url, allowed: 'an http(s) URL', description: "Bot API server (a self-hosted telegram-bot-api); default Telegram's public one." },
  telegramWebhookUrl: { env: 'TELEGRAM_WEBHOOK_URL', flag: 'telegram-webhook-url', addon: 'telegram_webhook_url', schema: url.refine((v) => v.startsWith('https://'), 'not an https:// URL'), allowed: 'an https:// URL that reaches /api/channels/telegram/webhook', description: 'Receive Telegram updates by webhook at this public HTTPS URL instead of long polling.' },
  discordBotToken: { env: 'DISCORD_BOT_TOKEN', flag: 'discord-bot-token', addon: 'discord_bot_token', schema: str, allowed: "a bot token from Discord's developer portal", secret: true, description: 'Discord bot token; set it to talk to Wactorz from Discord (interfaces/discord/).' },
  discordAllowedUsers: { env: 'DISCORD_ALLOWED_USERS', flag: 'discord-allowed-users', addon: 'discord_allowed_users', schema: idList, allowed: 'comma-separated Discord user ids', description: 'Discord user ids allowed to talk to the bot (in DMs and in the allowed channels).' },
  discordAllowedChannels: { env: 'DISCORD_ALLOWED_CHANNELS', flag: 'discord-allowed-channels', addon: 'discord_allowed_channels', schema: idList, allowed: 'comma-separated Discord channel ids', description: 'Guild channels the bot answers in (allowed users only); DMs need no entry.' },
  discordApiRoot: { env: 'DISCORD_API_ROOT', flag: 'discord-api-root', schema: url, allowed: 'an http(s) URL', description: "Discord's REST API root (tests point it at a local server); default Discord's own." },
  whatsappAccessToken: { env: 'WHATSAPP_ACCESS_TOKEN', flag: 'whatsapp-access-token', addon: 'whatsapp_access_token', schema: str, allowed: 'a WhatsApp Cloud API access token', secret: true, description: 'WhatsApp Business Cloud API access token (interfaces/whatsapp/).' },
  whatsappPhoneNumberId: { env: 'WHATSAPP_PHONE_NUMBER_ID', flag: 'whatsapp-phone-number-id', addon: 'whatsapp_phone_number_id', schema: z.string().trim().regex(/^\d{5,20}$/, 'digits'), allowed: "the business phone number's id (digits) from the Meta app", description: 'The WhatsApp Cloud API phone number id Wactorz sends from.' },
  whatsappAppSecret: { env: 'WHATSAPP_APP_SECRET', flag: 'whatsapp-app-secret', addon: 'whatsapp_app_secret', schema: str, allowed: "the Meta app's secret", secret: true, description: "Verifies the webhook's X-Hub-Signature-256 on every message from Meta." },
  whatsappVerifyToken: { env: 'WHATSAPP_VERIFY_TOKEN', flag: 'whatsapp-verify-token', addon: 'whatsapp_verify_token', schema: z.string().trim().min(8, 'at least 8 characters'), allowed: 'a secret of at least 8 characters', secret: true, description: "The verify token you enter in Meta's webhook settings (the subscription handshake)." },
  whatsappAllowedNumbers: { env: 'WHATSAPP_ALLOWED_NUMBERS', flag: 'whatsapp-allowed-numbers', addon: 'whatsapp_allowed_numbers', schema: phoneList, allowed: 'comma-separated phone numbers in international form, such as +31612345678', description: 'Phone numbers allowed to talk to Wactorz over WhatsApp.' },
  whatsappApiRoot: { env: 'WHATSAPP_API_ROOT', flag: 'whatsapp-api-root', schema: url, allowed: 'an http(s) URL', description: "Graph API root with version (tests point it at a local server); default https://graph.facebook.com/v23.0." },
  installIntegration: { env: 'WACTORZ_INSTALL_INTEGRATION', flag: 'install-integration', addon: 'install_integration', schema: bool, allowed: 'true or false', description: "Install or update the companion Home Assistant integration in HA's custom_components at start (add-on only)." },
  assistNonAdmin: { env: 'WACTORZ_ASSIST_NON_ADMIN', flag: 'assist-non-admin', addon: 'assist_non_admin', schema: z.enum(['restricted', 'full']), allowed: 'restricted or full', description: "What an HA user who is not an administrator may do through the companion integration: 'restricted' (default) gets answers, devices and tasks but no sensitive confirmations, approvals or agent management." },
  assistLimitedDevices: { env: 'WACTORZ_ASSIST_LIMITED_DEVICES', flag: 'assist-limited-devices', addon: 'assist_limited_devices', schema: idList, allowed: 'comma-separated HA device ids or area ids', description: 'Voice satellites (by device or area id) in public rooms: their turns are restricted whoever speaks.' },
  demoHome: { env: 'WACTORZ_DEMO', flag: 'demo', schema: bool, allowed: 'true or false', description: 'Force the built-in demo home even when Home Assistant is configured.' },
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;

/** Gemini's alternative key name, accepted as in the original. */
export const ENV_ALIASES: Partial<Record<OptionKey, readonly string[]>> = {
  geminiApiKey: ['GOOGLE_API_KEY'],
};
