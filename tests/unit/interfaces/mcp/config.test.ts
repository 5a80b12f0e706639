// wactorz://config and list_capabilities with every secret option set: the effective configuration
// a client reads names the provider, models, caps, MQTT mode and root, readable topics, bridged
// domains and channels, and no key, token, password or credential-bearing URL appears anywhere.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogService } from '../../../../server/src/agents/catalog/catalog-service.ts';
import { RecipeLibrary } from '../../../../server/src/agents/catalog/library.ts';
import type { AgentSpawner } from '../../../../server/src/agents/spawner/agent-spawner.ts';
import { loadConfig } from '../../../../server/src/config/load.ts';
import { OPTIONS } from '../../../../server/src/config/options.ts';
import type { Budget } from '../../../../server/src/contract/cost.ts';
import { EffectiveConfig } from '../../../../server/src/contract/effective-config.ts';
import type { RecipeInfo } from '../../../../server/src/contract/recipes.ts';
import type { Services } from '../../../../server/src/contract/services.ts';
import { TOOL_NEEDS } from '../../../../server/src/interfaces/mcp/capabilities.ts';
import { createSettingsService } from '../../../../server/src/services/effective-config.ts';
import { createRecipesService } from '../../../../server/src/services/recipes.ts';
import { buildTestApp } from '../../../helpers/http-app.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Every secret the configuration takes, each a value that cannot appear by accident.
const SECRETS = {
  WACTORZ_API_KEY: 'secret-api-key-0123456789',
  MQTT_PASSWORD: 'secret-mqtt-password',
  HA_TOKEN: 'secret-ha-token',
  SUPERVISOR_TOKEN: 'secret-supervisor-token',
  ANTHROPIC_API_KEY: 'secret-anthropic-key',
  OPENAI_API_KEY: 'secret-openai-key',
  NIM_API_KEY: 'secret-nim-key',
  GEMINI_API_KEY: 'secret-gemini-key',
  TELEGRAM_BOT_TOKEN: 'secret-telegram-token',
  DISCORD_BOT_TOKEN: 'secret-discord-token',
  WHATSAPP_ACCESS_TOKEN: 'secret-whatsapp-token',
  WHATSAPP_APP_SECRET: 'secret-whatsapp-app',
  WHATSAPP_VERIFY_TOKEN: 'secret-whatsapp-verify',
};
// Credentials in URLs: the broker's user:password, a provider proxy's.
const URL_SECRETS = ['urlsecret-mqtt', 'urlsecret-openai'];

function configWithEverySecret() {
  const env = {
    ...SECRETS,
    LLM_PROVIDER: 'anthropic',
    LLM_MODEL: 'claude-sonnet-4-6',
    LLM_CHEAP_MODEL: 'claude-haiku-4-5',
    LLM_BUDGET_DAILY_USD: '2',
    MQTT_URL: 'mqtt://broker-user:urlsecret-mqtt@broker.lan:1883',
    MQTT_USERNAME: 'broker-user',
    MQTT_TOPIC_ROOT: 'home/wactorz',
    MQTT_READ_TOPICS: 'zigbee2mqtt/#',
    HA_URL: 'http://ha.lan:8123',
    HA_BRIDGE_DOMAINS: 'light,binary_sensor',
    OPENAI_BASE_URL: 'https://proxy-user:urlsecret-openai@llm.lan/v1',
    TELEGRAM_ALLOWED_USERS: '123456789',
    DISCORD_ALLOWED_USERS: '42',
    WHATSAPP_PHONE_NUMBER_ID: '1234567',
    WHATSAPP_ALLOWED_NUMBERS: '+31612345678',
  };
  return loadConfig({ env, argv: [], optionsFile: join('/nonexistent', 'options.json') });
}

async function connect(services: Partial<Services>): Promise<Client> {
  const t = await buildTestApp({ services });
  cleanups.push(() => t.close());
  const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const c = new Client({ name: 'config-test', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL('/mcp', url)));
  cleanups.push(() => c.close());
  return c;
}

async function readConfig(c: Client): Promise<string> {
  const r = await c.readResource({ uri: 'wactorz://config' });
  const content = r.contents[0];
  return 'text' in content ? content.text : '';
}

describe('wactorz://config', () => {
  it('the test sets every secret option there is', () => {
    const secretEnvs = Object.values(OPTIONS).filter((o) => 'secret' in o && o.secret).map((o) => o.env);
    expect(Object.keys(SECRETS).sort()).toEqual(secretEnvs.sort());
  });

  it('shows the effective configuration and none of the secrets', async () => {
    const c = await connect({ settings: createSettingsService(configWithEverySecret()) });
    const text = await readConfig(c);
    for (const secret of [...Object.values(SECRETS), ...URL_SECRETS]) expect(text, secret).not.toContain(secret);
    const config = EffectiveConfig.parse(JSON.parse(text));
    expect(config).toMatchObject({
      llm: { provider: 'anthropic', configured: true, model: 'anthropic:claude-sonnet-4-6', cheap_model: 'anthropic:claude-haiku-4-5', fallback: null },
      budget: { daily_usd: 2, weekly_usd: null, monthly_usd: null },
      mqtt: { mode: 'external', topic_root: 'home/wactorz', read_topics: ['zigbee2mqtt/#'] },
      ha: { mode: 'direct', bridge_domains: ['light', 'binary_sensor'], bridge_per_entity_topics: true },
      channels: { telegram: true, discord: true, whatsapp: true },
      in_addon: true,
    });
  });

  it('shows the budget caps in force, as the owner changed them since start-up', async () => {
    const budget: Budget = { daily_usd: 5, weekly_usd: null, monthly_usd: 40, spent: { day: 0, week: 0, month: 0 }, fallback: null, exhausted: false };
    const c = await connect({ settings: createSettingsService(configWithEverySecret()), budget: { get: async () => budget, update: async () => budget } });
    expect(JSON.parse(await readConfig(c))).toMatchObject({ budget: { daily_usd: 5, weekly_usd: null, monthly_usd: 40 } });
  });

  it('no LLM: provider none, not configured; without the settings service, a read error', async () => {
    const bare = loadConfig({ env: {}, argv: [], optionsFile: '/nonexistent/options.json' });
    const c = await connect({ settings: createSettingsService(bare) });
    expect(JSON.parse(await readConfig(c))).toMatchObject({ llm: { provider: 'none', configured: false, model: null }, mqtt: { mode: 'embedded', topic_root: 'wactorz', read_topics: [] }, channels: { telegram: false, discord: false, whatsapp: false } });
    await expect(readConfig(await connect({}))).rejects.toThrow(/not available yet/);
  });
});

describe('list_capabilities', () => {
  const recipe: RecipeInfo = { name: 'reminders', title: 'Reminders', description: 'Reminds you', tags: [], parameters: { max_reminders: { type: 'integer', description: 'at most', required: false, default: 10 } }, scopes: [] };

  it('lists the tools with what is not running yet, the recipes, the LLM, the channels and the options, never a secret', async () => {
    const c = await connect({ settings: createSettingsService(configWithEverySecret()), recipes: { list: async () => [recipe], spawn: async () => { throw new Error('not here'); } } as unknown as Services['recipes'], rules: { list: async () => [], setEnabled: async () => undefined, delete: async () => false } });
    const r = await c.callTool({ name: 'list_capabilities', arguments: {} });
    const all = JSON.stringify(r);
    for (const secret of [...Object.values(SECRETS), ...URL_SECRETS]) expect(all, secret).not.toContain(secret);
    const caps = r.structuredContent as { caller: unknown; channel: string; tools: { name: string; available: boolean; why?: string }[]; recipes: { name: string }[]; llm: unknown; chat_channels: string[]; options: unknown; resources: string[] };
    expect(caps.caller).toEqual({ via: 'local', name: 'Local user' });
    expect(caps.channel).toBe('api');
    expect(caps.tools.find((t) => t.name === 'list_rules')).toEqual({ name: 'list_rules', available: true });
    expect(caps.tools.find((t) => t.name === 'ask')).toEqual({ name: 'ask', available: false, why: 'chat is not running yet' });
    expect(caps.tools.find((t) => t.name === 'list_capabilities')).toEqual({ name: 'list_capabilities', available: true });
    expect(caps.recipes).toEqual([{ name: 'reminders', title: 'Reminders', description: 'Reminds you', source: null, parameters: ['max_reminders'] }]);
    expect(caps.llm).toEqual({ configured: true, provider: 'anthropic', model: 'anthropic:claude-sonnet-4-6' });
    expect(caps.chat_channels).toEqual(['telegram', 'discord', 'whatsapp']);
    expect(caps.options).toMatchObject({ ha_bridge_domains: ['light', 'binary_sensor'], ha_bridge_per_entity_topics: true, mqtt_topic_root: 'home/wactorz', mqtt_read_topics: ['zigbee2mqtt/#'] });
    expect(caps.resources).toContain('wactorz://config');
    expect(JSON.stringify(r.content)).toContain('Tools you may call: list_capabilities, list_rules, enable_rule, disable_rule.');
  });

  it("marks each recipe as bundled or the owner's, from the catalog", async () => {
    const owner = makeTempDir('wactorz-owner-recipes-');
    cleanups.push(async () => owner.cleanup());
    mkdirSync(join(owner.path, 'greeter'));
    writeFileSync(join(owner.path, 'greeter', 'recipe.json'), JSON.stringify({ name: 'greeter', title: 'Greeter', description: 'says hello', type: 'dynamic', scopes: ['log'] }));
    writeFileSync(join(owner.path, 'greeter', 'agent.js'), 'async function handleTask(agent, payload) { return "hello"; }');
    const library = new RecipeLibrary({ ownerDir: owner.path });
    await library.load();
    // Listing never spawns: no spawner is needed.
    const recipes = createRecipesService(catalogService(() => library.recipes(), {} as AgentSpawner));
    const c = await connect({ recipes });
    const caps = (await c.callTool({ name: 'list_capabilities', arguments: {} })).structuredContent as { recipes: { name: string; source: string }[] };
    const listed = caps.recipes;
    expect(listed.find((r) => r.name === 'greeter')?.source).toBe('owner');
    expect(listed.find((r) => r.name === 'reminders')?.source).toBe('bundled');
  });

  it('every registered tool is in the capability table, and nothing else', async () => {
    const c = await connect({});
    expect((await c.listTools()).tools.map((t) => t.name).sort()).toEqual(Object.keys(TOOL_NEEDS).sort());
    const r = await c.callTool({ name: 'list_capabilities', arguments: {} });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ recipes: null, llm: null, chat_channels: null, options: null });
  });
});
