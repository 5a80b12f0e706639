// /api/ws over a real socket: authentication before the upgrade, chat deltas streamed while
// POST /api/chat runs, and resuming after a reconnect or a server restart.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../server/src/contract/ws-protocol.ts';
import { buildTestApp, type TestApp, type TestAppOptions } from '../../helpers/http-app.ts';
import { connectLive, is, type LiveClient } from '../../helpers/ws-client.ts';

const KEY = 'correct-horse-battery-staple';
const opened: TestApp[] = [];
const clients: LiveClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.ws.terminate());
  for (const t of opened.splice(0)) await t.close();
});

async function serve(opts: TestAppOptions = {}): Promise<{ t: TestApp; base: string; wsUrl: string }> {
  const t = await buildTestApp(opts);
  opened.push(t);
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, base, wsUrl: `${base.replace('http', 'ws')}/api/ws` };
}

async function live(url: string, protocols?: string[], headers?: Record<string, string>): Promise<LiveClient> {
  const c = await connectLive(url, protocols, headers);
  clients.push(c);
  return c;
}

const bearer = (key: string) => `wactorz.bearer.${Buffer.from(key).toString('base64url')}`;
const event = (m: ServerMessage) => (m.type === 'event' ? m.event : undefined);

describe('GET /api/ws', () => {
  it('needs the API key, offered as a subprotocol, when one is configured; never echoes it', async () => {
    const { wsUrl } = await serve({ access: { apiKey: KEY } });
    await expect(live(wsUrl)).rejects.toThrow('HTTP 401');
    await expect(live(wsUrl, ['wactorz.v1', bearer('wrong-wrong-wrong-wrong')])).rejects.toThrow('HTTP 401');
    await expect(live(`${wsUrl}?token=${KEY}`)).rejects.toThrow('HTTP 401');
    const c = await live(wsUrl, ['wactorz.v1', bearer(KEY)]);
    expect(c.ws.protocol).toBe('wactorz.v1');
    const hello = await c.next(is('hello'));
    expect(hello.user.via).toBe('api_key');
    expect(JSON.stringify(c.messages)).not.toContain(KEY);
  });

  it('answers a refused upgrade with a JSON error and closes the connection itself', async () => {
    const { base } = await serve({ access: { apiKey: KEY } });
    const { port } = new URL(base);
    const sock = connect(Number(port), '127.0.0.1');
    let response = '';
    sock.on('data', (d: Buffer) => (response += d.toString()));
    const ended = new Promise<void>((resolve) => sock.once('close', () => resolve()));
    sock.write(['GET /api/ws HTTP/1.1', 'Host: x', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${Buffer.alloc(16).toString('base64')}`, '', ''].join('\r\n'));
    // The client never closes: only the server can end this socket.
    await ended;
    expect(response).toMatch(/^HTTP\/1.1 401/);
    expect(response).toContain('"code":"unauthorized"');
  });

  it('in dev mode opens the same-origin socket of the panel and a CLI socket without Origin, and refuses foreign pages before upgrading', async () => {
    const { base, wsUrl } = await serve();
    expect((await (await live(wsUrl, ['wactorz.v1'], { Origin: base })).next(is('hello'))).user.via).toBe('local');
    expect((await (await live(wsUrl)).next(is('hello'))).user.via).toBe('local');
    await expect(live(wsUrl, ['wactorz.v1'], { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(live(wsUrl, ['wactorz.v1'], { Origin: 'http://localhost:1' })).rejects.toThrow('HTTP 403');
    await expect(live(wsUrl, ['wactorz.v1'], { Host: 'evil.example', Origin: 'http://evil.example' })).rejects.toThrow('HTTP 421');
  });

  it('with an API key accepts its clients from any origin: the key is never sent by a browser on its own', async () => {
    const { wsUrl } = await serve({ access: { apiKey: KEY } });
    const c = await live(wsUrl, ['wactorz.v1', bearer(KEY)], { Origin: 'https://dashboard.example', Host: 'wactorz.lan:8099' });
    expect((await c.next(is('hello'))).user.via).toBe('api_key');
  });

  it('refuses forged ingress headers on the upgrade', async () => {
    const { wsUrl } = await serve();
    await expect(live(wsUrl, ['wactorz.v1'], { 'X-Remote-User-Id': 'admin' })).rejects.toThrow('HTTP 403');
  });

  it('takes the HA user from the ingress headers of a trusted proxy', async () => {
    const { wsUrl } = await serve({ access: { inAddon: true, ingressAddresses: ['127.0.0.1'] } });
    const c = await live(wsUrl, ['wactorz.v1'], { 'X-Remote-User-Id': 'u-9', 'X-Remote-User-Name': 'anna', 'X-Remote-User-Display-Name': 'Anna' });
    expect((await c.next(is('hello'))).user).toEqual({ userId: 'u-9', userName: 'anna', displayName: 'Anna', via: 'ingress' });
  });

  it('streams the deltas of a chat turn while POST /api/chat is still running', async () => {
    const { t, base, wsUrl } = await serve();
    const c = await live(wsUrl);
    c.send({ type: 'subscribe', topics: ['chat/conv-1'] });
    await c.next(is('subscribed'));
    t.fake.hold = true;
    const posted = fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hello', conversation_id: 'conv-1' }) });
    const first = await c.next(is('event'));
    // The turn is held after its first delta: the stream is ahead of the HTTP reply.
    expect(first.event).toEqual({ type: 'chat', conversation_id: 'conv-1', event: { type: 'delta', text: 'The ' } });
    t.fake.release();
    const res = await posted;
    const body = (await res.json()) as { reply: string };
    const turnEvent = (m: ServerMessage) => {
      const e = event(m);
      return e?.type === 'chat' ? e.event : undefined;
    };
    const done = await c.next((m): m is Extract<ServerMessage, { type: 'event' }> => turnEvent(m)?.type === 'done');
    expect(turnEvent(done)).toMatchObject({ reply: body.reply });
    const text = c.messages.map(turnEvent).flatMap((e) => (e?.type === 'delta' ? [e.text] : [])).join('');
    expect(text).toBe(body.reply);
  });

  it('replays what a client missed while reconnecting', async () => {
    const { t, wsUrl } = await serve();
    const c1 = await live(wsUrl);
    const hello = await c1.next(is('hello'));
    c1.send({ type: 'subscribe', topics: ['agents'] });
    await c1.next(is('subscribed'));
    t.hub.publish({ type: 'agent.state', agent: 'a', state: 'paused' });
    const seen = await c1.next(is('event'));
    c1.ws.close();
    await c1.closed;
    t.hub.publish({ type: 'agent.state', agent: 'a', state: 'running' });
    t.hub.publish({ type: 'agent.state', agent: 'b', state: 'stopped' });
    const c2 = await live(wsUrl);
    c2.send({ type: 'subscribe', topics: ['agents'], since: seen.seq, boot_id: hello.boot_id });
    const sub = await c2.next(is('subscribed'));
    expect(sub.replayed).toBe(2);
    expect(c2.messages.map(event).filter(Boolean)).toEqual([
      { type: 'agent.state', agent: 'a', state: 'running' },
      { type: 'agent.state', agent: 'b', state: 'stopped' },
    ]);
  });

  it('tells a client of a restarted server to refetch, and closes clients when the server stops', async () => {
    const first = await serve();
    const c1 = await live(first.wsUrl);
    const oldBoot = (await c1.next(is('hello'))).boot_id;
    await first.t.app.close();
    expect(await c1.closed).toBeGreaterThan(1000);
    const second = await serve();
    const c2 = await live(second.wsUrl);
    c2.send({ type: 'subscribe', topics: ['agents'], since: 40, boot_id: oldBoot });
    expect(await c2.next(is('resync'))).toEqual({ type: 'resync', topics: ['agents'], reason: 'restarted' });
  });
});
