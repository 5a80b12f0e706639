// /mcp in the Fastify app with stand-in services: who may call (the same guard as the API:
// loopback dev mode with its Host and Origin checks, ingress, the add-on without a key), on
// which channel a turn runs, and failures that must come back as tool errors.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../../server/src/contract/chat.ts';
import type { DevicesService } from '../../../../server/src/contract/devices.ts';
import type { ChatContext, ChatService, RequestContext, Services } from '../../../../server/src/contract/services.ts';
import { buildTestApp, type TestAppOptions } from '../../../helpers/http-app.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A chat service that records each turn's context and answers with a fixed reply. */
function recordingChat(events: (text: string) => ChatEvent[]): { service: ChatService; seen: { text: string; ctx: ChatContext }[] } {
  const seen: { text: string; ctx: ChatContext }[] = [];
  return {
    seen,
    service: {
      async *process(text, ctx) {
        seen.push({ text, ctx });
        yield* events(text);
      },
      conversations: async () => [],
      conversation: async () => undefined,
    },
  };
}

const answer = (reply: string): ChatEvent[] => [
  { type: 'delta', text: reply },
  { type: 'done', turnId: 't1', conversationId: 'c', reply, agent: 'main', route: 'other' },
];

async function serve(services: Partial<Services>, access: TestAppOptions['access'] = undefined): Promise<string> {
  const t = await buildTestApp({ services, access });
  cleanups.push(() => t.close());
  return t.app.listen({ host: '127.0.0.1', port: 0 });
}

async function client(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const c = new Client({ name: 'route-test', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers } }));
  cleanups.push(() => c.close());
  return c;
}

/** A raw tools/list POST; node:http rather than fetch, which cannot set Host. */
function rpc(url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/mcp', url), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
  });
}

describe('/mcp behind the access guard', () => {
  it('in the loopback dev mode, a local client runs its turns on the owner\'s api channel', async () => {
    const chat = recordingChat(() => answer('hi'));
    const c = await client(await serve({ chat: chat.service }));
    const r = await c.callTool({ name: 'ask', arguments: { message: 'hello' } });
    expect(r.content).toEqual([{ type: 'text', text: 'hi' }]);
    expect(chat.seen[0].ctx).toMatchObject({ channel: 'api', agent: undefined, identity: { via: 'local' } });
  });

  it('refuses a page from another site and a DNS-rebound Host, as for every API route', async () => {
    const url = await serve({});
    expect(await rpc(url, { origin: 'http://evil.example' })).toMatchObject({ status: 403, body: { error: { code: 'cross_origin' } } });
    expect(await rpc(url, { host: 'evil.example' })).toMatchObject({ status: 421, body: { error: { code: 'misdirected_host' } } });
  });

  it('refuses direct calls in the add-on without a key; ingress users are served on the api channel', async () => {
    const chat = recordingChat(() => answer('hi'));
    const direct = await rpc(await serve({ chat: chat.service }, { inAddon: true }), {});
    expect(direct).toMatchObject({ status: 403, body: { error: { code: 'direct_access_disabled' } } });
    // The Supervisor's proxy, played by this machine.
    const url = await serve({ chat: chat.service }, { inAddon: true, ingressAddresses: ['127.0.0.1'] });
    const c = await client(url, { 'x-remote-user-id': 'u-alex', 'x-remote-user-name': 'alex' });
    await c.callTool({ name: 'ask', arguments: { message: 'hello' } });
    expect(chat.seen[0].ctx).toMatchObject({ channel: 'api', identity: { via: 'ingress', userId: 'u-alex' } });
  });
});

describe('failures are tool errors, never a crash', () => {
  it('a service that is not running yet', async () => {
    const c = await client(await serve({}));
    for (const [name, args] of [['list_agents', {}], ['list_rules', {}], ['enable_rule', { id: 'r1' }], ['cost_summary', {}], ['ask', { message: 'hi' }], ['stop_agent', { agent: 'a' }], ['ha_list_entities', {}], ['ha_get_state', { entity_id: 'light.a' }], ['ha_call_service', { domain: 'light', service: 'turn_on' }]] as const) {
      const r = await c.callTool({ name, arguments: args });
      expect(r.isError, name).toBe(true);
      expect(JSON.stringify(r.content)).toContain('not available yet');
    }
    await expect(c.readResource({ uri: 'wactorz://rules' })).rejects.toThrow(/not available yet/);
    await expect(c.readResource({ uri: 'wactorz://home' })).rejects.toThrow(/not available yet/);
  });

  it('Home Assistant not loaded yet; a device call acts as the caller the guard identified', async () => {
    const seen: RequestContext[] = [];
    const devices: DevicesService = {
      state: async () => undefined,
      call: async (_calls, ctx) => {
        seen.push(ctx);
        return { status: 'failed', text: 'Nothing was done: Home Assistant is disconnected.', outcomes: [] };
      },
    };
    const url = await serve({ haMap: { snapshot: async () => undefined }, devices }, { inAddon: true, ingressAddresses: ['127.0.0.1'] });
    const c = await client(url, { 'x-remote-user-id': 'u-alex', 'x-remote-user-name': 'alex' });
    expect(await c.callTool({ name: 'ha_list_entities', arguments: {} })).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('has not been loaded yet') as unknown }] });
    await expect(c.readResource({ uri: 'wactorz://home' })).rejects.toThrow(/has not been loaded yet/);
    const r = await c.callTool({ name: 'ha_call_service', arguments: { domain: 'light', service: 'turn_on', entity_id: ['light.a', 'light.b'] } });
    expect(r).toMatchObject({ isError: true, structuredContent: { status: 'failed' }, content: [{ text: 'Nothing was done: Home Assistant is disconnected.' }] });
    expect(seen[0]?.identity).toMatchObject({ via: 'ingress', userId: 'u-alex' });
  });

  it('a turn that throws, a turn that fails, an agent task that fails, a proposal that is not made', async () => {
    const chat = recordingChat((text) => {
      if (text === 'boom') throw new Error('database is locked');
      if (text === 'fail') return [{ type: 'error', code: 'busy', message: 'Another turn is running' }];
      if (text.startsWith('pipeline:')) return answer('I could not design that.');
      return [{ type: 'tool', name: 'agent.task', ok: false, text: 'weather timed out', agent: 'weather' }, ...answer('weather timed out')];
    });
    const c = await client(await serve({ chat: chat.service }));
    const boom = await c.callTool({ name: 'ask', arguments: { message: 'boom' } });
    expect(boom).toMatchObject({ isError: true, content: [{ type: 'text', text: 'The call failed: database is locked' }] });
    expect(await c.callTool({ name: 'ask', arguments: { message: 'fail' } })).toMatchObject({ isError: true, content: [{ text: 'Another turn is running' }] });
    const task = await c.callTool({ name: 'send_task', arguments: { agent: 'weather', task: 'Athens' } });
    expect(task).toMatchObject({ isError: true, content: [{ text: 'weather timed out' }] });
    expect(chat.seen.at(-1)?.ctx.agent).toBe('weather');
    expect(await c.callTool({ name: 'propose_rule', arguments: { description: 'something odd' } })).toMatchObject({ isError: true, content: [{ text: 'I could not design that.' }] });
    // The description follows "pipeline:" and cannot turn it into the approval-skipping "pipeline!".
    await c.callTool({ name: 'propose_rule', arguments: { description: '! deploy now' } });
    expect(chat.seen.at(-1)?.text).toBe('pipeline: ! deploy now');
    // Still serving after all that.
    expect((await c.listTools()).tools.length).toBe(16);
  });
});
