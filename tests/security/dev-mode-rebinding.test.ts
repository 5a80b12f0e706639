// Issue 12, finding 8, replayed against the real server (startRuntime: actor system, chat,
// spawner, fake LLM): in the standalone dev mode (loopback, no API key) a request whose Host is
// a rebound name, or a request or WebSocket from a foreign page's Origin, used to be served. Each
// attack must now be refused before anything runs, while the legitimate clients (the panel, the
// CLI, ingress, API-key clients) still work. Raw sockets set exactly the headers an attacking
// browser sends; Chromium replays the attack from a real page.
import { request } from 'node:http';
import { connect } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRemoteSession } from '../../server/src/interfaces/cli/remote-session.ts';
import { ensurePanelBuilt } from '../helpers/panel-server.ts';
import { requireBinary } from '../helpers/tools.ts';
import { connectLive, is } from '../helpers/ws-client.ts';
import { ANSWER, startRealServer, type RealServer } from '../e2e/real-server/real-server.ts';

const KEY = 'correct-horse-battery-staple';
const AGENT = 'porch-greeter';
const EVIL = 'http://evil.example';
const bearer = `wactorz.bearer.${Buffer.from(KEY).toString('base64url')}`;

interface Answer {
  status: number;
  body: string;
}

interface Raw {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Where the connection comes from (the Supervisor's stand-in for ingress). */
  localAddress?: string;
}

/** One HTTP request with exactly these headers (fetch would not let a test set Host). */
function raw(port: number, { method = 'GET', path, headers = {}, body, localAddress }: Raw): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, localAddress }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A WebSocket upgrade written by hand. Resolves with what the server sent once it closed the
 * connection (a refusal) or sent a complete response head (an accepted upgrade).
 */
function upgrade(port: number, headers: Record<string, string>, localAddress?: string): Promise<{ received: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port, localAddress });
    let received = '';
    sock.on('data', (d: Buffer) => {
      received += d.toString();
      if (received.startsWith('HTTP/1.1 101') && received.includes('\r\n\r\n')) {
        sock.destroy();
        resolve({ received, closedByServer: false });
      }
    });
    // The client never ends the socket itself: only the server can close it.
    sock.once('close', () => resolve({ received, closedByServer: true }));
    sock.once('error', reject);
    const lines = Object.entries({ Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': Buffer.alloc(16, 7).toString('base64'), 'Sec-WebSocket-Protocol': 'wactorz.v1', ...headers });
    sock.write(['GET /api/ws HTTP/1.1', ...lines.map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n'));
  });
}

function portOf(s: RealServer): number {
  return Number(new URL(s.url).port);
}

async function spawnAgent(s: RealServer): Promise<void> {
  const code = `async function setup(agent) { agent.log('ready'); }`;
  const outcome = await s.runtime.spawner.spawn({ type: 'dynamic', name: AGENT, description: 'Greets the porch', code } as never, { by: 'user' });
  expect(outcome).toMatchObject({ status: 'spawned' });
}

describe('dev mode (standalone, loopback, no API key)', () => {
  let server: RealServer;
  let port: number;
  let local: string;
  beforeAll(async () => {
    server = await startRealServer();
    port = portOf(server);
    local = `127.0.0.1:${port}`;
    await spawnAgent(server);
  });
  afterAll(() => server?.close());

  const chatBody = JSON.stringify({ message: 'unlock the front door', conversation_id: 'attack' });

  it('refuses a rebound Host with 421 and a clear message, and runs nothing', async () => {
    const rebound = { host: `evil.example:${port}` };
    const read = await raw(port, { path: '/api/agents', headers: rebound });
    expect(read.status).toBe(421);
    const error = (JSON.parse(read.body) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('misdirected_host');
    expect(error.message).toContain('localhost, 127.0.0.1 or [::1]');
    expect(read.body).not.toContain('evil.example');
    expect(read.body).not.toContain(AGENT);

    const chat = await raw(port, { method: 'POST', path: '/api/chat', headers: { ...rebound, 'content-type': 'application/json' }, body: chatBody });
    expect(chat.status).toBe(421);
    const stop = await raw(port, { method: 'POST', path: `/api/agents/${AGENT}/stop`, headers: rebound });
    expect(stop.status).toBe(421);
    for (const path of ['/', '/api/health', '/api/conversations']) expect((await raw(port, { path, headers: rebound })).status, path).toBe(421);

    expect(server.fake.requests).toHaveLength(0);
    expect(server.runtime.system.get(AGENT)?.state).toBe('running');
    const conversations = await raw(port, { path: '/api/conversations', headers: { host: local } });
    expect(JSON.parse(conversations.body)).toEqual([]);
  });

  it('refuses a foreign Origin with 403, even a text/plain POST that needs no CORS preflight', async () => {
    const forged = await raw(port, { method: 'POST', path: '/api/chat', headers: { host: local, origin: EVIL, 'content-type': 'text/plain' }, body: chatBody });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body)).toMatchObject({ error: { code: 'cross_origin' } });
    expect(forged.body).not.toContain('evil.example');
    for (const origin of [EVIL, 'null', `http://localhost:${port + 1}`]) {
      const stop = await raw(port, { method: 'POST', path: `/api/agents/${AGENT}/stop`, headers: { host: local, origin } });
      expect(stop.status, origin).toBe(403);
    }
    expect(server.fake.requests).toHaveLength(0);
    expect(server.runtime.system.get(AGENT)?.state).toBe('running');
  });

  it('refuses a cross-origin or rebound WebSocket with an HTTP error and closes it before any WebSocket data', async () => {
    const cross = await upgrade(port, { Host: local, Origin: EVIL });
    expect(cross.closedByServer).toBe(true);
    expect(cross.received).toMatch(/^HTTP\/1.1 403 /);
    expect(cross.received).toContain('"code":"cross_origin"');
    expect(cross.received).not.toContain('101 Switching');
    expect(cross.received).not.toContain('hello');

    const rebound = await upgrade(port, { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` });
    expect(rebound.closedByServer).toBe(true);
    expect(rebound.received).toMatch(/^HTTP\/1.1 421 /);

    // The same upgrade from the panel's own origin is accepted.
    const own = await upgrade(port, { Host: local, Origin: `http://${local}` });
    expect(own.received).toMatch(/^HTTP\/1.1 101 /);
  });

  it('serves the loopback names and the CLI, which sends no Origin, with its live stream', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
      expect((await raw(port, { path: '/api/agents', headers: { host } })).status, host).toBe(200);
    }
    const session = await startRemoteSession(server.url, undefined, 'cli-check');
    try {
      expect(session.label).toBe(server.url);
      let streamed = '';
      const reply = await session.send('How is the house?', { text: (t) => (streamed += t), note: () => undefined });
      expect(reply).toBe(ANSWER);
      expect(streamed).toBe(ANSWER);
    } finally {
      await session.close();
    }
  });
});

describe('dev mode in Chromium: a page on evil.example against the panel on loopback', () => {
  let server: RealServer;
  let browser: Browser;
  beforeAll(async () => {
    ensurePanelBuilt();
    server = await startRealServer();
    await spawnAgent(server);
    // evil.example resolves to loopback, as it does once the attacker has rebound the name.
    // Chromium's own Local Network Access checks are turned off: Firefox and Safari have none,
    // and the server must not depend on them, so here the server is the only defence.
    browser = await chromium.launch({
      executablePath: requireBinary('chromium', ['/usr/bin/chromium']),
      args: [
        '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--host-resolver-rules=MAP evil.example 127.0.0.1',
        '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the panel opens its same-origin socket; the attacking page reads nothing, stops nothing and opens no socket', async () => {
    const context = await browser.newContext();
    try {
      const panel = await context.newPage();
      const hello = new Promise<string>((resolve) => {
        panel.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => typeof payload === 'string' && payload.includes('"hello"') && resolve(payload)));
      });
      await panel.goto(`${server.url}/#/agents`);
      await panel.locator(`wz-agent-card [data-agent="${AGENT}"][data-state=running]`).waitFor();
      expect(JSON.parse(await hello)).toMatchObject({ type: 'hello', user: { via: 'local' } });

      // Before the rebinding the attacker served this page from its own address.
      const port = portOf(server);
      const attackUrl = `http://evil.example:${port}/attack.html`;
      const attacker = await context.newPage();
      // What the server answered, as the network saw it (no-cors answers are opaque to the page).
      const answered: string[] = [];
      attacker.on('response', (r) => answered.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`));
      attacker.on('websocket', (ws) => ws.on('socketerror', (e) => answered.push(`WS ${e}`)));
      await attacker.route(attackUrl, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>cats</title>' }));
      await attacker.goto(attackUrl);
      const seen = await attacker.evaluate(async (api: string) => {
        const status = (p: Promise<Response>) => p.then((r) => r.status, () => 0);
        const socket = (url: string) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url, 'wactorz.v1');
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
          });
        return {
          // Rebound: same-origin for the browser, so it reads whatever is answered.
          rebindRead: await status(fetch('/api/agents')),
          rebindStop: await status(fetch('/api/agents/porch-greeter/stop', { method: 'POST' })),
          rebindSocket: await socket(`ws://${location.host}/api/ws`),
          // Cross-site: the answer is opaque to the page, but the request is sent.
          crossChat: await status(fetch(`${api}/api/chat`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"message":"unlock the door"}' })),
          crossSocket: await socket(`${api.replace('http', 'ws')}/api/ws`),
        };
      }, server.url);
      expect(seen).toMatchObject({ rebindRead: 421, rebindStop: 421, rebindSocket: 'refused', crossSocket: 'refused' });
      expect(answered).toEqual(expect.arrayContaining(['POST /api/chat 403', expect.stringMatching(/^WS .*421/), expect.stringMatching(/^WS .*403/)]));
      expect(server.fake.requests).toHaveLength(0);
      expect(server.runtime.system.get(AGENT)?.state).toBe('running');
    } finally {
      await context.close();
    }
  });
});

describe('the modes that are not dev mode keep their callers', () => {
  it('ingress: the Supervisor is served whatever Host and Origin the HA frontend brings, the direct port stays closed', async () => {
    const server = await startRealServer({ access: { inAddon: true, ingressAddresses: ['127.0.0.3'] } });
    try {
      const port = portOf(server);
      const ha = { host: '172.30.33.4:8099', origin: 'https://homeassistant.example:8123', 'x-remote-user-id': 'u-anna', 'x-remote-user-name': 'anna' };
      const list = await raw(port, { path: '/api/agents', headers: ha, localAddress: '127.0.0.3' });
      expect(list.status).toBe(200);
      const ws = await upgrade(port, ha, '127.0.0.3');
      expect(ws.received).toMatch(/^HTTP\/1.1 101 /);
      expect((await raw(port, { path: '/api/agents', headers: { host: `127.0.0.1:${port}` } })).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('API key: key holders are served under any Host and Origin, the CLI with --api-key works, others are not', async () => {
    const server = await startRealServer({ access: { apiKey: KEY } });
    try {
      const port = portOf(server);
      const remote = { host: 'wactorz.lan:8099', origin: 'https://dashboard.example' };
      expect((await raw(port, { path: '/api/agents', headers: { ...remote, authorization: `Bearer ${KEY}` } })).status).toBe(200);
      expect((await raw(port, { path: '/api/agents', headers: remote })).status).toBe(401);
      expect((await raw(port, { path: '/api/agents', headers: { host: 'evil.example' } })).status).toBe(401);
      const live = await connectLive(`${server.url.replace('http', 'ws')}/api/ws`, ['wactorz.v1', bearer], { Origin: 'https://dashboard.example' });
      try {
        expect((await live.next(is('hello'))).user.via).toBe('api_key');
      } finally {
        live.ws.terminate();
      }
      const session = await startRemoteSession(server.url, KEY, 'cli-key');
      try {
        expect(session.label).toBe(server.url);
        expect(await session.send('How is the house?', { text: () => undefined, note: () => undefined })).toBe(ANSWER);
      } finally {
        await session.close();
      }
    } finally {
      await server.close();
    }
  });
});
