// list_capabilities and wactorz://config against the real runtime, configured with several
// provider keys and the options a client cares about: what they show, and that no key, the API key
// or the integration token appears in either. A runtime of its own: mcp.test.ts's two transports
// use most of the per-caller rate limit (60 a minute).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_FILE } from '../../../server/src/interfaces/integration/install-identity.ts';
import { FAKE_KEYS, reply } from '../../helpers/fake-llm/index.ts';
import { call, TOOLS } from './exercise.ts';
import { useMcpRuntime } from './runtime.ts';

const KEY = 'mcp-capabilities-key-0123456789';
const KEYS = { OPENAI_API_KEY: 'sk-openai-secret-for-the-test', GEMINI_API_KEY: 'gemini-secret-for-the-test', NIM_API_KEY: 'nim-secret-for-the-test' };
const world = useMcpRuntime(KEY, () => reply.text('OK.'), { ...KEYS, LLM_BUDGET_DAILY_USD: '3', HA_BRIDGE_DOMAINS: 'light,binary_sensor', MQTT_READ_TOPICS: 'zigbee2mqtt/#' });

async function connected(): Promise<Client> {
  const client = new Client({ name: 'mcp-capabilities-test', version: '1' });
  world.clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', world.runtime.address), { requestInit: { headers: { authorization: `Bearer ${KEY}` } } }));
  return client;
}

function secrets(): string[] {
  const { token } = JSON.parse(readFileSync(join(world.dataDir, IDENTITY_FILE), 'utf8')) as { token: string };
  return [KEY, token, FAKE_KEYS.anthropic, ...Object.values(KEYS)];
}

describe('what this Wactorz offers an MCP client', () => {
  it('list_capabilities: every tool callable, the catalog\'s recipes, the LLM, the options; never a secret', async () => {
    const client = await connected();
    const caps = await call(client, 'list_capabilities');
    expect(caps.isError).toBeFalsy();
    expect(caps.structuredContent).toMatchObject({
      caller: { via: 'api_key' },
      channel: 'api',
      llm: { configured: true, provider: 'anthropic' },
      chat_channels: [],
      options: { ha_bridge_domains: ['light', 'binary_sensor'], ha_bridge_per_entity_topics: true, mqtt_topic_root: 'wactorz', mqtt_read_topics: ['zigbee2mqtt/#'], budget: { daily_usd: 3 } },
    });
    const tools = caps.structuredContent?.tools as { name: string; available: boolean }[];
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    expect(tools.every((t) => t.available)).toBe(true);
    expect((caps.structuredContent?.recipes as { name: string }[]).find((r) => r.name === 'reminders')).toMatchObject({ source: 'bundled', parameters: expect.arrayContaining(['max_reminders']) as unknown });
    const text = JSON.stringify(caps);
    for (const s of secrets()) expect(text).not.toContain(s);
  });

  it('wactorz://config: the effective configuration without keys or tokens', async () => {
    const client = await connected();
    const r = await client.readResource({ uri: 'wactorz://config' });
    const content = r.contents[0];
    const text = 'text' in content ? content.text : '';
    for (const s of secrets()) expect(text).not.toContain(s);
    expect(JSON.parse(text)).toMatchObject({
      llm: { provider: 'anthropic', configured: true, model: expect.stringMatching(/^anthropic:/) as unknown },
      budget: { daily_usd: 3, weekly_usd: null, monthly_usd: null },
      mqtt: { mode: 'embedded', topic_root: 'wactorz', read_topics: ['zigbee2mqtt/#'] },
      ha: { mode: 'demo', bridge_domains: ['light', 'binary_sensor'], bridge_per_entity_topics: true },
      channels: { telegram: false, discord: false, whatsapp: false },
    });
  });
});
