// The MCP server against the real runtime (embedded broker, SQLite, demo home, the fake LLM
// through the configuration), with the SDK's own client over both transports: Streamable HTTP at
// /mcp behind the access guard, and stdio from the CLI process (`wactorz mcp`) relayed to it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLASSIFIER_SYSTEM } from '../../../server/src/agents/main/routing/classifier.ts';
import { IDENTITY_FILE } from '../../../server/src/interfaces/integration/install-identity.ts';
import { reply } from '../../helpers/fake-llm/index.ts';
import { byKind } from '../../unit/agents/planner/llm-script.ts';
import { P1_MOTION_LIGHT } from '../planner/plans.ts';
import { call, exercise, textOf } from './exercise.ts';
import { useMcpRuntime } from './runtime.ts';

const KEY = 'mcp-test-key-0123456789';
const BIN = fileURLToPath(new URL('../../../server/src/interfaces/cli/bin.ts', import.meta.url));
// Each proposal names its agent anew: both transports propose and approve one.
let n = 0;
const script = byKind({
  pipeline: () => reply.text(JSON.stringify({ ...P1_MOTION_LIGHT, agents: P1_MOTION_LIGHT.agents.map((a) => ({ ...a, name: `${a.name}-${++n}` })) })),
  other: (r) => reply.text(r.body.system === CLASSIFIER_SYSTEM ? 'OTHER' : 'Hello from main.'),
});
const world = useMcpRuntime(KEY, script.fn);

function httpTransport(key: string | undefined): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL('/mcp', world.runtime.address), { requestInit: { headers: key ? { authorization: `Bearer ${key}` } : {} } });
}

function cliTransport(key: string | undefined): StdioClientTransport {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', WACTORZ_URL: world.runtime.address };
  if (key) env.WACTORZ_API_KEY = key;
  return new StdioClientTransport({ command: process.execPath, args: ['--no-node-snapshot', BIN, 'mcp'], env, stderr: 'pipe' });
}

async function connected(transport: StreamableHTTPClientTransport | StdioClientTransport): Promise<Client> {
  const client = new Client({ name: 'mcp-test', version: '1' });
  world.clients.push(client);
  await client.connect(transport);
  return client;
}

describe('MCP over Streamable HTTP at /mcp', () => {
  it('serves every tool and resource to a client with the API key', async () => {
    const client = await connected(httpTransport(KEY));
    expect(client.getServerVersion()?.name).toBe('wactorz');
    await exercise(client, world.runtime, 'http');
  }, 120_000);

  it('refuses a client without the key, or with a wrong one, before any tool runs', async () => {
    await expect(connected(httpTransport(undefined))).rejects.toThrow(/"unauthorized"/);
    await expect(connected(httpTransport('wrong-key'))).rejects.toThrow(/"invalid_api_key"/);
    const res = await fetch(new URL('/mcp', world.runtime.address), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it("serves Home Assistant's mcp integration at /mcp/<integration token>, with no header; a wrong token is refused", async () => {
    const { token } = JSON.parse(readFileSync(join(world.dataDir, IDENTITY_FILE), 'utf8')) as { token: string };
    const capability = (t: string) => new StreamableHTTPClientTransport(new URL(`/mcp/${t}`, world.runtime.address));
    const client = await connected(capability(token));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('ask');
    expect(textOf(await call(client, 'ask', { message: 'hello' }))).toBe('Hello from main.');
    await expect(connected(capability(`${token.slice(0, -1)}x`))).rejects.toThrow(/"unauthorized"/);
  });

  it('answers GET and DELETE with 405: the server is stateless, nothing streams from it', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(new URL('/mcp', world.runtime.address), { method, headers: { authorization: `Bearer ${KEY}`, accept: 'text/event-stream' } });
      expect(res.status).toBe(405);
    }
  });
});

describe('MCP over stdio from the CLI (`wactorz mcp`)', () => {
  it('relays every tool and resource to the running server with the API key', async () => {
    const client = await connected(cliTransport(KEY));
    expect(client.getServerVersion()?.name).toBe('wactorz');
    await exercise(client, world.runtime, 'stdio');
  }, 120_000);

  it('without the key the CLI refuses to start and says why on stderr', async () => {
    const transport = cliTransport(undefined);
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<void>((resolve) => (transport.onclose = resolve));
    await expect(connected(transport)).rejects.toThrow();
    await exited;
    expect(stderr).toContain('no API key given');
    expect(stderr).toContain('"unauthorized"');
  });

  it('a bad tool input through the relay is still a tool error', async () => {
    const client = await connected(cliTransport(KEY));
    const r = await call(client, 'enable_rule', { id: '' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('Input validation error');
  });
});
