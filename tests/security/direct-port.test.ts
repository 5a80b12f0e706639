// The add-on's direct port (config.yaml `ports: 8099/tcp`, closed until the owner maps a host
// port) against the real app: without api_key every request that comes through it is refused,
// the webhook routes and the integration's secrets included; with the key, only keyed requests
// and the self-authenticating webhooks pass. Ingress is unchanged either way.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, type TestAppOptions } from '../helpers/http-app.ts';
import { parseYaml } from '../unit/addon/yaml-lite.ts';

const KEY = 'correct-horse-battery-staple';
const TOKEN = 'integration-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WEBHOOK = '/api/channels/whatsapp/webhook';
const LAN = '192.168.1.20';
const ingress = { 'x-remote-user-id': 'u-1', 'x-remote-user-name': 'anna', 'x-remote-user-display-name': 'Anna' };

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function app(access: TestAppOptions['access']): Promise<TestApp> {
  t = await buildTestApp({ access: { inAddon: true, integrationToken: TOKEN, webhookPaths: [WEBHOOK], ...access }, extend: (a) => a.all(WEBHOOK, () => ({ reached: true })) });
  return t;
}

describe('the direct port', () => {
  it('is declared closed in the manifest: mapped to no host port until the owner sets one', () => {
    const config = parseYaml(readFileSync('config.yaml', 'utf8')) as Record<string, unknown>;
    expect(config.ports).toEqual({ '8099/tcp': null });
    expect(config.ports_description).toMatchObject({ '8099/tcp': expect.stringContaining('api_key') as unknown });
  });

  it('without api_key refuses everything that comes through it, and leaves ingress alone', async () => {
    const { app: a, fake } = await app({});
    for (const [method, url, headers] of [
      ['GET', '/api/agents', {}],
      ['POST', '/api/agents/energy-tracker/stop', { authorization: `Bearer ${TOKEN}` }],
      ['POST', WEBHOOK, {}],
      ['GET', `/mcp/${TOKEN}`, {}],
      ['GET', '/api/health', {}],
      ['GET', '/', {}],
    ] as const) {
      const res = await a.inject({ method, url, remoteAddress: LAN, headers });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json(), `${method} ${url}`).toMatchObject({ error: { code: 'direct_access_disabled' } });
    }
    expect(fake.state.agents.get('energy-tracker')?.state).toBe('running');
    expect((await a.inject({ url: '/api/agents', remoteAddress: '172.30.32.2', headers: ingress })).statusCode).toBe(200);
    // Home Assistant's integration on the internal network still works without a key.
    expect((await a.inject({ url: '/api/agents', remoteAddress: '172.30.32.1', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
  });

  it('with api_key admits the key and the webhooks, nothing keyless', async () => {
    const { app: a } = await app({ apiKey: KEY });
    expect((await a.inject({ url: '/api/agents', remoteAddress: LAN, headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(200);
    expect((await a.inject({ method: 'POST', url: WEBHOOK, remoteAddress: '203.0.113.9' })).json()).toEqual({ reached: true });
    expect((await a.inject({ url: '/api/agents', remoteAddress: LAN })).statusCode).toBe(401);
    expect((await a.inject({ url: '/api/agents', remoteAddress: LAN, headers: { ...ingress, authorization: `Bearer ${KEY}` } })).statusCode).toBe(403);
  });
});
