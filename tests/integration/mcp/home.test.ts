// The MCP server's agent lifecycle and Home Assistant tools against the real runtime (embedded
// broker, SQLite, the demo home, a fake LLM that is never needed), with the SDK's client over
// Streamable HTTP: as the API-key caller and as Home Assistant's `mcp` integration (the capability
// URL), which get the same tools and the same refusals. A runtime of its own: mcp.test.ts's two
// transports use most of the per-caller rate limit (60 a minute).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_FILE } from '../../../server/src/interfaces/integration/install-identity.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { call, textOf } from './exercise.ts';
import { exerciseAgentLifecycle, exerciseHome } from './exercise-home.ts';
import { useMcpRuntime } from './runtime.ts';

const KEY = 'mcp-home-test-key-0123456789';
const world = useMcpRuntime(KEY, () => reply.text('OK.'));

async function connected(path: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'mcp-home-test', version: '1' });
  world.clients.push(client);
  await client.connect(new StreamableHTTPClientTransport(new URL(path, world.runtime.address), { requestInit: { headers } }));
  return client;
}

describe('MCP agent lifecycle and Home Assistant tools', () => {
  it('stop, pause and resume a spawned agent; protected and unknown agents refused', async () => {
    const client = await connected('/mcp', { authorization: `Bearer ${KEY}` });
    const spawned = await call(client, 'spawn_recipe', { recipe: 'reminders', name: 'mcp-lifecycle' });
    expect(spawned.isError, textOf(spawned)).toBeFalsy();
    await exerciseAgentLifecycle(client, 'mcp-lifecycle');
    expect(world.runtime.system.get('mcp-lifecycle')?.state).toBe('stopped');
    expect(world.runtime.system.get('main')?.state).toBe('running');
  }, 60_000);

  it('lists entities, reads states and calls services; sensitive targets and unknown entities refused', async () => {
    const client = await connected('/mcp', { authorization: `Bearer ${KEY}` });
    await exerciseHome(client, world.runtime);
  }, 60_000);

  it("Home Assistant's mcp integration (the capability URL) gets the same device control and the same refusals", async () => {
    const { token } = JSON.parse(readFileSync(join(world.dataDir, IDENTITY_FILE), 'utf8')) as { token: string };
    const client = await connected(`/mcp/${token}`);
    const demo = world.runtime.haDemo;
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
