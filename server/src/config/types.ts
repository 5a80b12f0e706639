// The resolved configuration every part of the server receives. Built by load.ts from the
// option table; nothing else reads the environment.
import type { LLM_PROVIDERS, LOG_LEVELS } from './options.ts';

export type LlmProviderName = (typeof LLM_PROVIDERS)[number];

/** Where Home Assistant is: the Supervisor proxy, a URL + token, or the built-in demo home. */
export type HaTarget =
  | { mode: 'supervisor'; url: string; token: string }
  | { mode: 'direct'; url: string; token: string }
  | { mode: 'demo' };

/** Which MQTT broker the process uses. */
export type MqttTarget =
  | { mode: 'external'; url: string; username: string | undefined; password: string | undefined }
  | { mode: 'supervisor' }
  | { mode: 'embedded'; host: string; port: number };

export interface ProviderEndpoint {
  apiKey: string | undefined;
  baseUrl: string | undefined;
}

export interface LlmConfig {
  provider: LlmProviderName;
  model: string | undefined;
  cheapModel: string | undefined;
  /** Plain chat in one call with HA tools where the provider takes them, or classifier first. */
  routing?: 'tools' | 'classifier' | undefined;
  /** Ask the provider to cache the stable prompt prefix where that takes a request (Anthropic); default true. */
  promptCache?: boolean | undefined;
  /** `provider:model` used instead of refusing when the budget is spent. */
  fallback: string | undefined;
  anthropic: ProviderEndpoint;
  openai: ProviderEndpoint;
  ollama: { host: string };
  nim: { apiKey: string | undefined; baseUrl: string };
  gemini: { apiKey: string | undefined; baseUrl: string };
  budget: { dailyUsd: number | undefined; weeklyUsd: number | undefined; monthlyUsd: number | undefined };
}

/** The chat channels (interfaces/telegram, discord, whatsapp); each is on when its token is set. */
export interface ChannelsConfig {
  telegram: { token: string; allowedUsers: string[]; apiRoot: string | undefined; webhookUrl?: string | undefined } | undefined;
  discord: { token: string; allowedUsers: string[]; allowedChannels: string[]; apiRoot: string | undefined } | undefined;
  whatsapp:
    | { accessToken: string; phoneNumberId: string; appSecret: string; verifyToken: string; allowedNumbers: string[]; apiRoot: string }
    | undefined;
}

/** The companion HA integration (interfaces/integration/). */
export interface IntegrationConfig {
  /** Copy the integration into HA's custom_components at start (add-on only). */
  install: boolean;
  /** What a non-admin HA user's turns may do. */
  nonAdmin: 'restricted' | 'full';
  /** HA device or area ids of satellites whose turns are always restricted. */
  limitedDevices: string[];
}

export interface Config {
  dataDir: string;
  host: string;
  port: number;
  /** The Wyoming server's port (interfaces/wyoming/); 0 when it is off. It binds to `host`. */
  wyomingPort: number;
  logLevel: (typeof LOG_LEVELS)[number];
  apiKey: string | undefined;
  /** True inside the add-on container (the Supervisor gave us a token). */
  inAddon: boolean;
  supervisorToken: string | undefined;
  mqtt: MqttTarget;
  topicRoot: string;
  /** Filters outside the root agents and rules may read, never publish (bus/external-reads.ts). */
  mqttReadTopics: readonly string[];
  /** Agents and rules as HA entities over MQTT discovery (interfaces/ha-discovery/). */
  haDiscovery: { prefix: string; commands: boolean };
  /** What the HA state bridge publishes (agents/ha/state-bridge.ts); rules trigger only on that. */
  haBridge: { domains: readonly string[]; perEntityTopics: boolean };
  ha: HaTarget;
  llm: LlmConfig;
  /** allowedHosts: LAN services http.fetch may reach (sandbox/fetch/allowed-hosts.ts). */
  sandbox: { memoryLimitMb: number; allowedHosts: { addresses: string[]; hosts: string[] } };
  channels: ChannelsConfig;
  integration: IntegrationConfig;
  /** Rule evaluation traces kept per rule (agents/planner/traces/). */
  rules: { traceCount: number; traceDays: number };
}
