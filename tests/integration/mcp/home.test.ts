// The MCP server's agent lifecycle and Home Assistant tools against the real runtime (embedded
// broker, SQLite, the demo home, a fake LLM that is never needed), with the SDK's client over
// Streamable HTTP: as the API-key caller and as Home Assistant's `mcp` integration (the capability
// URL), which get the same tools and the same refusals. A runtime of its own: mcp.test.ts's two
// transports use most of the per-caller rate limit (60 a minute).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config/load.ts';
import { IDENTITY_FILE } from '../../../server/src/interfaces/integration/install-identity.ts';
import { startRuntime, type Runtime } from '../../../server/src/runtime.ts';
import { FAKE_KEYS, reply, startFakeLlm, type FakeLlmServer } from '../../helpers/fake-llm/index.ts';
import { quietLogger } from '../../helpers/ha.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { call, textOf } from './exercise.ts';
import { exerciseAgentLifecycle, exerciseHome } from './exercise-home.ts';

const KEY = 'mcp-home-test-key-0123456789';
let runtime: Runtime;
let fake: FakeLlmServer;
const dir = makeTempDir();
const clients: Client[] = [];

beforeAll(async () => {
  fake = await startFakeLlm({ respond: () => reply.text('OK.') });
  const env = { LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: fake.anthropicBaseUrl };
  const config = { ...loadConfig({ env, argv: ['--data-dir', dir.path, '--mqtt-embedded-port', '0'], optionsFile: join(dir.path, 'none.json') }), port: 0 };
  runtime = await startRuntime({ config, logger: quietLogger(), panelDir: '/nonexistent', access: { apiKey: KEY } });
}, 60_000);

afterAll(async () => {
  for (const c of clients) await c.close();
  await runtime.stop();
  await fake.close();
  dir.cleanup();
});

async function connected(path: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'mcp-home-test', version: '1' });
  clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(new URL(path, runtime.address), { requestInit: { headers } }));
  return client;
}

describe('MCP agent lifecycle and Home Assistant tools', () => {
  it('stop, pause and resume a spawned agent; protected and unknown agents refused', async () => {
    const client = await connected('/mcp', { authorization: `Bearer ${KEY}` });
    const spawned = await call(client, 'spawn_recipe', { recipe: 'reminders', name: 'mcp-lifecycle' });
    expect(spawned.isError, textOf(spawned)).toBeFalsy();
    await exerciseAgentLifecycle(client, 'mcp-lifecycle');
    expect(runtime.system.get('mcp-lifecycle')?.state).toBe('stopped');
    expect(runtime.system.get('main')?.state).toBe('running');
  }, 60_000);

  it('lists entities, reads states and calls services; sensitive targets and unknown entities refused', async () => {
    const client = await connected('/mcp', { authorization: `Bearer ${KEY}` });
    await exerciseHome(client, runtime);
  }, 60_000);

  it("Home Assistant's mcp integration (the capability URL) gets the same device control and the same refusals", async () => {
    const { token } = JSON.parse(readFileSync(join(dir.path, IDENTITY_FILE), 'utf8')) as { token: string };
    const client = await connected(`/mcp/${token}`);
    const demo = runtime.haDemo;
    if (!demo) throw new Error('the MCP tests run against the demo home');
    demo.clearRecords();
    const on = await call(client, 'ha_call_service', { domain: 'light', service: 'turn_on', entity_id: 'light.hallway' });
    expect(on.structuredContent, textOf(on)).toMatchObject({ status: 'done' });
    expect(demo.getState('light.hallway')?.state).toBe('on');
    const unlock = await call(client, 'ha_call_service', { domain: 'lock', service: 'unlock', entity_id: 'lock.front_door' });
    expect(unlock.isError).toBe(true);
    expect(textOf(unlock)).toContain('lock.front_door is security-sensitive');
    expect(demo.serviceCalls().map((c) => `${c.domain}.${c.service}`)).toEqual(['light.turn_on']);
    const stop = await call(client, 'stop_agent', { agent: 'main' });
    expect(textOf(stop)).toContain('is a protected system actor');
  }, 60_000);
});
