import { describe, expect, it } from 'vitest';
import { decideAccess, defaultPolicy, keysEqual, presentedKey, WS_BEARER_PREFIX, type AccessRequest } from '../../../server/src/http/access-policy.ts';

const KEY = 'correct-horse-battery-staple';
// Every client sends a Host; the tests' default is the loopback name a local user types.
const req = (ip: string, headers: AccessRequest['headers'] = {}, path = '/api/agents'): AccessRequest => ({ ip, headers: { host: 'localhost:8099', ...headers }, path });
const ingressHeaders = { 'x-remote-user-id': 'u-123', 'x-remote-user-name': 'anna', 'x-remote-user-display-name': 'Anna Svensson' };

describe('decideAccess', () => {
  it('serves the Supervisor and takes the HA user from the ingress headers', () => {
    const d = decideAccess(req('172.30.32.2', ingressHeaders), defaultPolicy({ inAddon: true }));
    expect(d).toEqual({ allow: true, identity: { userId: 'u-123', userName: 'anna', displayName: 'Anna Svensson', via: 'ingress' } });
  });

  it('recognises the Supervisor behind an IPv4-mapped IPv6 address', () => {
    const d = decideAccess(req('::ffff:172.30.32.2', ingressHeaders), defaultPolicy({ inAddon: true }));
    expect(d.allow && d.identity?.via).toBe('ingress');
  });

  it('refuses ingress headers from any other address, even loopback in dev mode and even with the API key', () => {
    for (const policy of [defaultPolicy(), defaultPolicy({ apiKey: KEY }), defaultPolicy({ inAddon: true, apiKey: KEY })]) {
      for (const ip of ['127.0.0.1', '172.30.32.3', '192.168.1.20']) {
        const d = decideAccess(req(ip, { ...ingressHeaders, authorization: `Bearer ${KEY}` }), policy);
        expect(d).toMatchObject({ allow: false, status: 403, code: 'untrusted_identity' });
      }
    }
  });

  it('accepts the right API key from anywhere and rejects a wrong one', () => {
    const policy = defaultPolicy({ inAddon: true, apiKey: KEY });
    expect(decideAccess(req('192.168.1.20', { authorization: `Bearer ${KEY}` }), policy)).toMatchObject({ allow: true, identity: { via: 'api_key' } });
    expect(decideAccess(req('192.168.1.20', { authorization: 'Bearer nope-nope-nope-nope' }), policy)).toMatchObject({ allow: false, status: 401, code: 'invalid_api_key' });
    expect(decideAccess(req('192.168.1.20', { authorization: `Basic ${KEY}` }), policy)).toMatchObject({ allow: false, status: 401 });
  });

  it("accepts the companion integration's token like a key, as the caller `integration`, and nothing looser", () => {
    const token = 'integration-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const policy = defaultPolicy({ inAddon: true, integrationToken: token });
    expect(decideAccess(req('172.30.32.1', { authorization: `Bearer ${token}` }), policy)).toMatchObject({ allow: true, identity: { via: 'integration', userName: 'integration' } });
    // Without an API key configured, another bearer is refused as before.
    expect(decideAccess(req('172.30.32.1', { authorization: 'Bearer integration-token-ABCDEFGHIJKLMNOPQRSTUVWXYz' }), policy)).toMatchObject({ allow: false, status: 401 });
    // Ingress headers are still only the Supervisor's, token or not.
    expect(decideAccess(req('172.30.32.1', { ...ingressHeaders, authorization: `Bearer ${token}` }), policy)).toMatchObject({ allow: false, status: 403 });
  });

  it("serves /mcp/<integration token> without a header (HA's mcp integration sends none), and no other path or token", () => {
    const token = 'integration-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const policy = defaultPolicy({ inAddon: true, integrationToken: token });
    expect(decideAccess(req('172.30.32.1', {}, `/mcp/${token}`), policy)).toMatchObject({ allow: true, identity: { via: 'integration' } });
    expect(decideAccess(req('172.30.32.1', {}, `/mcp/${token}x`), policy)).toMatchObject({ allow: false, status: 403 });
    expect(decideAccess(req('172.30.32.1', {}, `/mcp/${token}/x`), policy)).toMatchObject({ allow: false });
    expect(decideAccess(req('172.30.32.1', {}, `/api/agents/${token}`), policy)).toMatchObject({ allow: false });
    // No integration token on this server: the path is nothing special.
    expect(decideAccess(req('192.168.1.20', {}, `/mcp/${token}`), defaultPolicy({ apiKey: KEY }))).toMatchObject({ allow: false, status: 401 });
  });

  it('lets exact webhook paths through to their route, which checks each call itself', () => {
    const policy = defaultPolicy({ inAddon: true, apiKey: KEY, webhookPaths: ['/api/channels/whatsapp/webhook'] });
    expect(decideAccess(req('203.0.113.9', {}, '/api/channels/whatsapp/webhook'), policy)).toEqual({ allow: true, identity: null });
    expect(decideAccess(req('203.0.113.9', {}, '/api/channels/whatsapp/webhook/x'), policy)).toMatchObject({ allow: false });
  });

  it('rejects a bearer token when no key is configured, instead of guessing', () => {
    expect(decideAccess(req('127.0.0.1', { authorization: 'Bearer anything-at-all-here' }), defaultPolicy())).toMatchObject({ allow: false, status: 401, code: 'invalid_api_key' });
  });

  it('allows loopback clients only in standalone mode without a key', () => {
    expect(decideAccess(req('127.0.0.1'), defaultPolicy())).toMatchObject({ allow: true, identity: { via: 'local' } });
    expect(decideAccess(req('::1'), defaultPolicy())).toMatchObject({ allow: true, identity: { via: 'local' } });
    expect(decideAccess(req('127.0.0.1'), defaultPolicy({ apiKey: KEY }))).toMatchObject({ allow: false, status: 401, code: 'unauthorized' });
    expect(decideAccess(req('127.0.0.1'), defaultPolicy({ inAddon: true }))).toMatchObject({ allow: false, status: 403, code: 'direct_access_disabled' });
  });

  it('refuses other addresses without a key', () => {
    expect(decideAccess(req('192.168.1.20'), defaultPolicy())).toMatchObject({ allow: false, status: 401, code: 'unauthorized' });
    expect(decideAccess(req('192.168.1.20'), defaultPolicy({ apiKey: KEY }))).toMatchObject({ allow: false, status: 401 });
    expect(decideAccess(req('192.168.1.20'), defaultPolicy({ inAddon: true }))).toMatchObject({ allow: false, status: 403, code: 'direct_access_disabled' });
  });

  it('in the add-on without an api_key, the direct port serves nothing: no webhook, no integration secret, no MCP URL', () => {
    const token = 'integration-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const closed = defaultPolicy({ inAddon: true, integrationToken: token, webhookPaths: ['/api/channels/whatsapp/webhook'] });
    // Through the host port: a LAN address, a public one, IPv6, an IPv4-mapped LAN address.
    for (const ip of ['192.168.1.20', '203.0.113.9', '2001:db8::5', '::ffff:192.168.1.20']) {
      for (const [path, headers] of [
        ['/api/channels/whatsapp/webhook', {}],
        [`/mcp/${token}`, {}],
        ['/api/agents', { authorization: `Bearer ${token}` }],
        ['/api/health', {}],
        ['/', {}],
      ] as const) {
        expect(decideAccess(req(ip, headers, path), closed), `${ip} ${path}`).toMatchObject({ allow: false, status: 403, code: 'direct_access_disabled' });
      }
    }
    // On the Supervisor's network (Home Assistant at 172.30.32.1, other add-ons, its IPv6 range) nothing changes.
    for (const ip of ['172.30.32.1', '172.30.33.7', 'fd0c:ac1e:2100::1']) {
      expect(decideAccess(req(ip, { authorization: `Bearer ${token}` }), closed), ip).toMatchObject({ allow: true, identity: { via: 'integration' } });
      expect(decideAccess(req(ip, {}, '/api/channels/whatsapp/webhook'), closed), ip).toEqual({ allow: true, identity: null });
    }
    // With the key set, the port opens: the key, the webhooks (which check each call themselves), nothing keyless.
    const open = { ...closed, apiKey: KEY };
    expect(decideAccess(req('192.168.1.20', { authorization: `Bearer ${KEY}` }), open)).toMatchObject({ allow: true, identity: { via: 'api_key' } });
    expect(decideAccess(req('203.0.113.9', {}, '/api/channels/whatsapp/webhook'), open)).toEqual({ allow: true, identity: null });
    expect(decideAccess(req('192.168.1.20'), open)).toMatchObject({ allow: false, status: 401, code: 'unauthorized' });
  });

  it('lets the container HEALTHCHECK reach /api/health from loopback in the add-on, and nothing else', () => {
    const addon = defaultPolicy({ inAddon: true });
    expect(decideAccess(req('127.0.0.1', {}, '/api/health'), addon)).toEqual({ allow: true, identity: null });
    expect(decideAccess(req('192.168.1.20', {}, '/api/health'), addon)).toMatchObject({ allow: false });
    expect(decideAccess(req('127.0.0.1', {}, '/api/healthz'), addon)).toMatchObject({ allow: false });
  });

  it('grants loopback access only to a loopback Host with no foreign Origin (DNS rebinding, cross-site pages)', () => {
    const dev = defaultPolicy();
    expect(decideAccess(req('127.0.0.1', { host: 'evil.example:8099' }), dev)).toMatchObject({ allow: false, status: 421, code: 'misdirected_host' });
    expect(decideAccess(req('::1', { host: 'evil.localhost' }), dev)).toMatchObject({ allow: false, status: 421 });
    expect(decideAccess(req('127.0.0.1', { host: undefined }), dev)).toMatchObject({ allow: false, status: 421 });
    expect(decideAccess(req('127.0.0.1', { origin: 'http://evil.example' }), dev)).toMatchObject({ allow: false, status: 403, code: 'cross_origin' });
    expect(decideAccess(req('127.0.0.1', { origin: 'http://localhost:8099' }), dev)).toMatchObject({ allow: true, identity: { via: 'local' } });
    expect(decideAccess(req('::1', { host: '[::1]:8099' }), dev)).toMatchObject({ allow: true, identity: { via: 'local' } });
    // The health check is a loopback grant too, in every mode.
    for (const policy of [dev, defaultPolicy({ apiKey: KEY }), defaultPolicy({ inAddon: true })]) {
      expect(decideAccess(req('127.0.0.1', { host: 'evil.example' }, '/api/health'), policy)).toMatchObject({ allow: false, status: 421 });
      expect(decideAccess(req('127.0.0.1', { host: '127.0.0.1:8099' }, '/api/health'), policy)).toEqual({ allow: true, identity: null });
    }
  });

  it('leaves ingress and API-key callers to their own checks: any Host, any Origin', () => {
    const foreign = { host: 'homeassistant.local:8123', origin: 'https://ha.example' };
    expect(decideAccess(req('172.30.32.2', { ...ingressHeaders, ...foreign }), defaultPolicy({ inAddon: true }))).toMatchObject({ allow: true, identity: { via: 'ingress' } });
    for (const ip of ['127.0.0.1', '192.168.1.20']) {
      const d = decideAccess(req(ip, { ...foreign, authorization: `Bearer ${KEY}` }), defaultPolicy({ apiKey: KEY }));
      expect(d).toMatchObject({ allow: true, identity: { via: 'api_key' } });
    }
  });

  it('never puts the key in a message', () => {
    const d = decideAccess(req('10.0.0.1', { authorization: `Bearer ${KEY}x` }), defaultPolicy({ apiKey: KEY }));
    expect(JSON.stringify(d)).not.toContain(KEY);
  });
});

describe('presentedKey and keysEqual', () => {
  it('reads the key from Authorization or from the WebSocket bearer subprotocol', () => {
    expect(presentedKey({ authorization: `Bearer ${KEY}` })).toBe(KEY);
    const proto = `wactorz.v1, ${WS_BEARER_PREFIX}${Buffer.from(KEY).toString('base64url')}`;
    expect(presentedKey({ 'sec-websocket-protocol': proto })).toBe(KEY);
    expect(presentedKey({ 'sec-websocket-protocol': 'wactorz.v1' })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });

  it('compares keys of any length without throwing', () => {
    expect(keysEqual(KEY, KEY)).toBe(true);
    expect(keysEqual('short', KEY)).toBe(false);
    expect(keysEqual('', KEY)).toBe(false);
  });
});
