// Supervisor discovery against a local fake Supervisor: what Home Assistant's `mcp` integration
// will be offered, with the add-on's token, and a refusal reported rather than swallowed.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { announceMcp } from '../../../../server/src/interfaces/mcp/discovery.ts';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of servers.splice(0)) await close();
});

async function fakeSupervisor(status: number, answer: unknown): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const read = async (req: IncomingMessage) => {
    let s = '';
    for await (const chunk of req) s += String(chunk);
    return JSON.parse(s) as unknown;
  };
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('announceMcp', () => {
  it('posts service "mcp" with the /mcp/<token> URL on the add-on hostname, with the Supervisor token; the logged URL hides it', async () => {
    const sup = await fakeSupervisor(200, { result: 'ok', data: { uuid: 'abc123' } });
    const out = await announceMcp({ token: 'sup-token', port: 8099, host: 'a0d7b954-wactorz', base: sup.base, mcpToken: 'integration-token-0123456789' });
    expect(out).toEqual({ uuid: 'abc123', url: 'http://a0d7b954-wactorz:8099/mcp/***' });
    expect(sup.seen).toEqual([{ method: 'POST', url: '/discovery', authorization: 'Bearer sup-token', body: { service: 'mcp', config: { url: 'http://a0d7b954-wactorz:8099/mcp/integration-token-0123456789' } } }]);
  });

  it('reports a refusal (an undeclared service, a bad token) without echoing the token', async () => {
    const sup = await fakeSupervisor(400, { result: 'error', message: 'Service mcp not in add-on config' });
    const err = await announceMcp({ token: 'sup-token', port: 8099, host: 'h', base: sup.base, mcpToken: 'integration-token-0123456789' }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('Supervisor discovery refused the MCP announcement (HTTP 400)');
    expect((err as Error).message).not.toContain('sup-token');
  });
});
