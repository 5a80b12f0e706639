// Loads the typed configuration. Precedence, highest first: command-line flags, environment,
// the add-on's options.json, defaults. An invalid value stops start-up with a message that names
// the option, where it came from and what is allowed; secrets are never echoed.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { externalFilterProblems } from '../bus/external-reads.ts';
import { allowedHostProblems, parseAllowedHosts } from '../sandbox/fetch/allowed-hosts.ts';
import { ENV_ALIASES, OPTIONS, type OptionKey } from './options.ts';
import type { ChannelsConfig, Config, HaTarget, LlmProviderName, MqttTarget } from './types.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Source = 'flag' | 'environment' | 'options.json';
type Raw = Partial<Record<OptionKey, { value: unknown; source: Source }>>;

export interface LoadInput {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides the options file path (tests); otherwise WACTORZ_OPTIONS_FILE or /data/options.json. */
  optionsFile?: string;
}

const FLAG_TO_KEY = new Map<string, OptionKey>(Object.entries(OPTIONS).map(([key, spec]) => [spec.flag, key as OptionKey]));
const ADDON_TO_KEY = new Map<string, OptionKey>(
  Object.entries(OPTIONS).flatMap(([key, spec]) => ('addon' in spec ? [[spec.addon, key as OptionKey] as const] : [])),
);

export function parseFlags(argv: readonly string[]): Raw {
  const raw: Raw = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new ConfigError(`Unexpected argument "${arg}". Flags look like --port 8099 or --port=8099.`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const key = FLAG_TO_KEY.get(name);
    if (!key) throw new ConfigError(`Unknown flag --${name}. Known flags: ${[...FLAG_TO_KEY.keys()].map((f) => `--${f}`).join(', ')}`);
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (OPTIONS[key].allowed === 'true or false' && (argv[i + 1] === undefined || argv[i + 1]?.startsWith('--'))) value = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`Flag --${name} needs a value: ${OPTIONS[key].allowed}.`);
      value = next;
      i++;
    }
    raw[key] = { value, source: 'flag' };
  }
  return raw;
}

function fromEnv(env: Readonly<Record<string, string | undefined>>): Raw {
  const raw: Raw = {};
  for (const [key, spec] of Object.entries(OPTIONS) as [OptionKey, (typeof OPTIONS)[OptionKey]][]) {
    const names = [spec.env, ...(ENV_ALIASES[key] ?? [])];
    const name = names.find((n) => env[n] !== undefined && env[n] !== '');
    if (name !== undefined) raw[key] = { value: env[name], source: 'environment' };
  }
  return raw;
}

function fromOptionsFile(path: string): Raw {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`The add-on options file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`The add-on options file ${path} must hold a JSON object.`);
  }
  const raw: Raw = {};
  for (const [name, value] of Object.entries(parsed)) {
    const key = ADDON_TO_KEY.get(name);
    // The Supervisor writes optional options as null or "" when unset; unknown keys are ignored
    // so that an older server accepts a newer manifest's options.
    if (!key || value === null || value === '') continue;
    raw[key] = { value, source: 'options.json' };
  }
  return raw;
}

function describe(key: OptionKey, source: Source): string {
  const spec = OPTIONS[key];
  switch (source) {
    case 'flag':
      return `--${spec.flag}`;
    case 'environment':
      return spec.env;
    case 'options.json':
      return `add-on option "${'addon' in spec ? spec.addon : spec.env}"`;
  }
}

function validate(raw: Raw): Partial<Record<OptionKey, unknown>> {
  const values: Partial<Record<OptionKey, unknown>> = {};
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(raw) as [OptionKey, { value: unknown; source: Source }][]) {
    const spec = OPTIONS[key];
    const result = spec.schema.safeParse(entry.value);
    if (result.success) {
      values[key] = result.data;
      continue;
    }
    const shown = 'secret' in spec && spec.secret ? '(hidden)' : JSON.stringify(entry.value);
    problems.push(`${describe(key, entry.source)} = ${shown}: expected ${spec.allowed}.`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return values;
}

const PROVIDER_KEYS: readonly [LlmProviderName, OptionKey][] = [
  ['anthropic', 'anthropicApiKey'],
  ['openai', 'openaiApiKey'],
  ['gemini', 'geminiApiKey'],
  ['nim', 'nimApiKey'],
];

export function loadConfig(input: LoadInput = {}): Config {
  const env = input.env ?? process.env;
  const flags = parseFlags(input.argv ?? []);
  const environment = fromEnv(env);
  const optionsPath = input.optionsFile ?? [flags.optionsFile?.value, environment.optionsFile?.value].find((v): v is string => typeof v === 'string') ?? '/data/options.json';
  const merged: Raw = { ...fromOptionsFile(optionsPath), ...environment, ...flags };
  const v = validate(merged) as { [K in OptionKey]?: never } & Record<string, unknown>;
  const get = <T>(key: OptionKey): T | undefined => v[key];

  const supervisorToken = get<string>('supervisorToken');
  const inAddon = supervisorToken !== undefined;

  const ha: HaTarget = get<boolean>('demoHome')
    ? { mode: 'demo' }
    : get<string>('haUrl') !== undefined
      ? (() => {
          const token = get<string>('haToken');
          if (token === undefined) throw new ConfigError('HA_URL is set but HA_TOKEN is not: a long-lived access token is needed to reach Home Assistant.');
          return { mode: 'direct' as const, url: get<string>('haUrl')!.replace(/\/+$/, ''), token };
        })()
      : inAddon
        ? { mode: 'supervisor', url: 'http://supervisor/core', token: supervisorToken }
        : { mode: 'demo' };

  const mqttUrl = get<string>('mqttUrl');
  const mqtt: MqttTarget = mqttUrl
    ? { mode: 'external', url: mqttUrl, username: get<string>('mqttUsername'), password: get<string>('mqttPassword') }
    : inAddon
      ? { mode: 'supervisor' }
      : { mode: 'embedded', host: get<string>('mqttEmbeddedHost') ?? '127.0.0.1', port: get<number>('mqttEmbeddedPort') ?? 1883 };

  const topicRoot = get<string>('mqttTopicRoot') ?? 'wactorz';
  const readTopics = get<string[]>('mqttReadTopics') ?? [];
  const readProblems = externalFilterProblems(topicRoot, readTopics);
  if (readProblems.length > 0) throw new ConfigError(`Invalid configuration: mqtt_read_topics (MQTT_READ_TOPICS):\n  ${readProblems.join('\n  ')}`);

  const allowedHosts = get<string[]>('sandboxAllowedHosts') ?? [];
  const hostProblems = allowedHostProblems(allowedHosts);
  if (hostProblems.length > 0) throw new ConfigError(`Invalid configuration: sandbox_allowed_hosts (SANDBOX_ALLOWED_HOSTS):\n  ${hostProblems.join('\n  ')}`);

  const explicitProvider = get<LlmProviderName>('llmProvider');
  const provider = explicitProvider ?? PROVIDER_KEYS.find(([, key]) => get(key) !== undefined)?.[0] ?? 'none';

  return {
    channels: channelsFrom(get),
    integration: {
      install: get<boolean>('installIntegration') ?? inAddon,
      nonAdmin: get<'restricted' | 'full'>('assistNonAdmin') ?? 'restricted',
      limitedDevices: get<string[]>('assistLimitedDevices') ?? [],
    },
    dataDir: resolve(get<string>('dataDir') ?? (inAddon ? '/data' : './data')),
    host: get<string>('host') ?? (inAddon ? '0.0.0.0' : '127.0.0.1'),
    port: get<number>('port') ?? 8099,
    wyomingPort: get<number>('wyomingPort') ?? 10800,
    logLevel: get<Config['logLevel']>('logLevel') ?? 'info',
    apiKey: get<string>('apiKey'),
    inAddon,
    supervisorToken,
    mqtt,
    topicRoot,
    mqttReadTopics: readTopics,
    haDiscovery: { prefix: get<string>('haDiscoveryPrefix') ?? 'homeassistant', commands: get<boolean>('haDiscoveryCommands') ?? true },
    haBridge: { domains: get<string[]>('haBridgeDomains') ?? [], perEntityTopics: get<boolean>('haBridgePerEntityTopics') ?? true },
    ha,
    llm: {
      provider,
      model: get<string>('llmModel'),
      cheapModel: get<string>('llmCheapModel'),
      routing: get<'tools' | 'classifier'>('llmRouting') ?? 'tools',
      promptCache: get<boolean>('llmPromptCache') ?? true,
      fallback: get<string>('llmFallback'),
      anthropic: { apiKey: get<string>('anthropicApiKey'), baseUrl: get<string>('anthropicBaseUrl') },
      openai: { apiKey: get<string>('openaiApiKey'), baseUrl: get<string>('openaiBaseUrl') },
      ollama: { host: get<string>('ollamaHost') ?? 'http://127.0.0.1:11434' },
      nim: { apiKey: get<string>('nimApiKey'), baseUrl: get<string>('nimBaseUrl') ?? 'https://integrate.api.nvidia.com/v1' },
      gemini: { apiKey: get<string>('geminiApiKey'), baseUrl: get<string>('geminiBaseUrl') ?? 'https://generativelanguage.googleapis.com/v1beta/openai/' },
      budget: { dailyUsd: get<number>('budgetDailyUsd'), weeklyUsd: get<number>('budgetWeeklyUsd'), monthlyUsd: get<number>('budgetMonthlyUsd') },
    },
    sandbox: { memoryLimitMb: get<number>('sandboxMemoryMb') ?? 32, allowedHosts: parseAllowedHosts(allowedHosts) },
    rules: { traceCount: get<number>('ruleTraceCount') ?? 200, traceDays: get<number>('ruleTraceDays') ?? 7 },
  };
}

/**
 * A channel is on when its token is set; a token without the allow list it needs is a
 * configuration error (a bot nobody may use, or worse, one everybody may use).
 */
function channelsFrom(get: <T>(key: OptionKey) => T | undefined): ChannelsConfig {
  const need = (what: string, value: string[] | undefined, option: string): string[] => {
    if (value === undefined || value.length === 0) throw new ConfigError(`${what} is set but ${option} is not: name who may talk to Wactorz there (everyone else is refused).`);
    return value;
  };
  const telegramToken = get<string>('telegramBotToken');
  const discordToken = get<string>('discordBotToken');
  const whatsappToken = get<string>('whatsappAccessToken');
  let whatsapp: ChannelsConfig['whatsapp'];
  if (whatsappToken !== undefined) {
    const phoneNumberId = get<string>('whatsappPhoneNumberId');
    const appSecret = get<string>('whatsappAppSecret');
    const verifyToken = get<string>('whatsappVerifyToken');
    const missing = [
      ['WHATSAPP_PHONE_NUMBER_ID', phoneNumberId],
      ['WHATSAPP_APP_SECRET', appSecret],
      ['WHATSAPP_VERIFY_TOKEN', verifyToken],
    ].filter(([, v]) => v === undefined);
    if (missing.length > 0) throw new ConfigError(`WHATSAPP_ACCESS_TOKEN is set but ${missing.map(([n]) => n).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not: the Cloud API needs all of them.`);
    whatsapp = {
      accessToken: whatsappToken,
      phoneNumberId: phoneNumberId!,
      appSecret: appSecret!,
      verifyToken: verifyToken!,
      allowedNumbers: need('WHATSAPP_ACCESS_TOKEN', get<string[]>('whatsappAllowedNumbers'), 'WHATSAPP_ALLOWED_NUMBERS'),
      apiRoot: (get<string>('whatsappApiRoot') ?? 'https://graph.facebook.com/v23.0').replace(/\/+$/, ''),
    };
  }
  return {
    telegram:
      telegramToken === undefined
        ? undefined
        : {
            token: telegramToken,
            allowedUsers: need('TELEGRAM_BOT_TOKEN', get<string[]>('telegramAllowedUsers'), 'TELEGRAM_ALLOWED_USERS'),
            apiRoot: get<string>('telegramApiRoot'),
            webhookUrl: get<string>('telegramWebhookUrl'),
          },
    discord:
      discordToken === undefined
        ? undefined
        : {
            token: discordToken,
            allowedUsers: need('DISCORD_BOT_TOKEN', get<string[]>('discordAllowedUsers'), 'DISCORD_ALLOWED_USERS'),
            allowedChannels: get<string[]>('discordAllowedChannels') ?? [],
            apiRoot: get<string>('discordApiRoot'),
          },
    whatsapp,
  };
}

/** The configuration with every secret replaced, safe to log or return from the API. */
export function redactConfig(config: Config): unknown {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) =>
      /token|password|apikey|api_key|secret/i.test(key) && value !== undefined ? '***' : value,
    ),
  );
}
