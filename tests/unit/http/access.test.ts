// The guard in front of the real app, through app.inject() with the peer address set.
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestAppOptions } from '../../helpers/http-app.ts';

const KEY = 'correct-horse-battery-staple';
const SUPERVISOR = '172.30.32.2';
const LAN = '192.168.1.20';
const ingress = { 'x-remote-user-id': 'u-123', 'x-remote-user-name': 'anna', 'x-remote-user-display-name': 'Anna' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function app(access: TestAppOptions['access']): Promise<TestApp> {
  t = await buildTestApp({ access, extend: (a) => a.get('/api/test/whoami', (req) => req.identity) });
  return t;
}

describe('access guard on the app', () => {
  it('serves ingress requests from the Supervisor and hands the HA user to the services', async () => {
    const { app: a, fake } = await app({ inAddon: true });
    const who = await a.inject({ url: '/api/test/whoami', remoteAddress: SUPERVISOR, headers: ingress });
    expect(who.json()).toEqual({ userId: 'u-123', userName: 'anna', displayName: 'Anna', via: 'ingress' });
    const stop = await a.inject({ method: 'POST', url: '/api/agents/energy-tracker/stop', remoteAddress: SUPERVISOR, headers: ingress });
    expect(stop.statusCode).toBe(200);
    expect(fake.state.calls.at(-1)?.ctx.identity).toMatchObject({ userId: 'u-123', via: 'ingress' });
  });

  it('rejects forged ingress headers from another address with 403', async () => {
    const { app: a, fake } = await app({ inAddon: true, apiKey: KEY });
    const res = await a.inject({ method: 'POST', url: '/api/agents/energy-tracker/stop', remoteAddress: LAN, headers: { ...ingress, authorization: `Bearer ${KEY}` } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'untrusted_identity' } });
    expect(fake.state.agents.get('energy-tracker')?.state).toBe('running');
  });

  it('accepts the right API key and rejects a wrong one with a JSON 401', async () => {
    const { app: a } = await app({ inAddon: true, apiKey: KEY });
    const ok = await a.inject({ url: '/api/agents', remoteAddress: LAN, headers: { authorization: `Bearer ${KEY}` } });
    expect(ok.statusCode).toBe(200);
    const bad = await a.inject({ url: '/api/agents', remoteAddress: LAN, headers: { authorization: 'Bearer not-the-key-at-all' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(bad.json()).toEqual({ error: { code: 'invalid_api_key', message: 'The API key is not valid' } });
    const who = await a.inject({ url: '/api/test/whoami', remoteAddress: LAN, headers: { authorization: `Bearer ${KEY}` } });
    expect(who.json()).toMatchObject({ via: 'api_key' });
    expect(who.body).not.toContain(KEY);
  });

  it('allows loopback without a key in standalone mode (dev/demo), and only loopback', async () => {
    const { app: a } = await app({});
    const local = await a.inject({ url: '/api/test/whoami', remoteAddress: '127.0.0.1' });
    expect(local.json()).toMatchObject({ via: 'local' });
    const lan = await a.inject({ url: '/api/agents', remoteAddress: LAN });
    expect(lan.statusCode).toBe(401);
    expect(lan.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('in dev mode refuses a rebound Host with 421 before any route runs, and serves the loopback names', async () => {
    const { app: a, fake } = await app({});
    const stop = await a.inject({ method: 'POST', url: '/api/agents/energy-tracker/stop', remoteAddress: '127.0.0.1', headers: { host: 'evil.example:8099' } });
    expect(stop.statusCode).toBe(421);
    const error = stop.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('misdirected_host');
    expect(error.message).toContain('localhost, 127.0.0.1 or [::1]');
    expect(stop.body).not.toContain('evil.example');
    expect(fake.state.agents.get('energy-tracker')?.state).toBe('running');
    expect((await a.inject({ url: '/', remoteAddress: '127.0.0.1', headers: { host: 'evil.example' } })).statusCode).toBe(421);
    for (const host of ['localhost:8099', '127.0.0.1:8099', '[::1]:8099']) {
      expect((await a.inject({ url: '/api/test/whoami', remoteAddress: '127.0.0.1', headers: { host } })).json(), host).toMatchObject({ via: 'local' });
    }
  });

  it('in dev mode refuses a state-changing request from a foreign page, even a preflight-free text/plain POST', async () => {
    const { app: a, fake } = await app({});
    const forged = await a.inject({
      method: 'POST', url: '/api/chat', remoteAddress: '127.0.0.1',
      headers: { host: 'localhost:8099', origin: 'http://evil.example', 'content-type': 'text/plain' },
      payload: '{"message":"turn on the living room light"}',
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: { code: 'cross_origin' } });
    const stop = await a.inject({ method: 'POST', url: '/api/agents/energy-tracker/stop', remoteAddress: '127.0.0.1', headers: { host: 'localhost:8099', origin: 'null' } });
    expect(stop.statusCode).toBe(403);
    expect(fake.state.calls).toEqual([]);
    // The panel's own POSTs carry its origin and go through.
    const own = await a.inject({ method: 'POST', url: '/api/agents/energy-tracker/stop', remoteAddress: '127.0.0.1', headers: { host: 'localhost:8099', origin: 'http://localhost:8099' } });
    expect(own.statusCode).toBe(200);
  });

  it('closes the direct port in the add-on without a key, except the loopback health check', async () => {
    const { app: a } = await app({ inAddon: true });
    for (const ip of ['127.0.0.1', LAN]) {
      const res = await a.inject({ url: '/api/agents', remoteAddress: ip });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'direct_access_disabled' } });
    }
    expect((await a.inject({ url: '/', remoteAddress: LAN })).statusCode).toBe(403);
    expect((await a.inject({ url: '/api/health', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    expect((await a.inject({ url: '/api/health', remoteAddress: LAN })).statusCode).toBe(403);
  });

  it('guards unknown routes too, so they reveal nothing to strangers', async () => {
    const { app: a } = await app({ inAddon: true });
    expect((await a.inject({ url: '/api/secret-thing', remoteAddress: LAN })).statusCode).toBe(403);
    expect((await a.inject({ url: '/api/secret-thing', remoteAddress: SUPERVISOR })).statusCode).toBe(404);
  });
});
