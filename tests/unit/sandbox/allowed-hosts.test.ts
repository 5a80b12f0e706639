// sandbox_allowed_hosts: the LAN services the owner opens to agents' http.fetch. What the option
// accepts, and what the policy then lets through, against a real HTTP server on 127.0.0.2: the
// listed address and range pass, everything else private stays refused, names open only their own
// answers (DNS rebinding stays closed), the Supervisor's network never, metadata only one by one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/src/config/load.ts';
import { allowedHostProblems, parseAllowedHosts } from '../../../server/src/sandbox/fetch/allowed-hosts.ts';
import { createHttpFetcher } from '../../../server/src/sandbox/fetch/fetcher.ts';
import { checkAddress, checkUrl, createFetchPolicy, resolveChecked, type ResolvedAddress } from '../../../server/src/sandbox/fetch/policy.ts';

describe('the option', () => {
  test('addresses, ranges and LAN names are accepted and split for the policy', () => {
    const entries = ['192.168.1.40', '192.168.2.0/24', 'Inverter.LAN', 'nas.local.', 'fd12:3456::/64', '127.0.0.2'];
    expect(allowedHostProblems(entries)).toEqual([]);
    expect(parseAllowedHosts(entries)).toEqual({ addresses: ['192.168.1.40', '192.168.2.0/24', 'fd12:3456::/64', '127.0.0.2'], hosts: ['inverter.lan', 'nas.local'] });
  });

  test("the Supervisor's network, its names, localhost and nonsense are configuration errors", () => {
    const problems = allowedHostProblems(['172.30.32.2', '172.30.33.9', '172.30.0.0/16', '0.0.0.0/0', '::/0', 'supervisor', 'hassio', 'homeassistant', 'localhost', 'bad host!', '10.0.0.0/33', '10.0.0.1/8/2']);
    expect(problems).toHaveLength(12);
    for (const p of problems.slice(0, 5)) expect(p).toContain("reaches the Supervisor's network 172.30.32.0/23");
    expect(problems[5]).toContain("the Supervisor's or Home Assistant's internal name");
    expect(problems[8]).toContain('localhost is this add-on itself');
    expect(problems[10]).toContain('prefix length must be 0 to 32');
  });

  test('the loader names the option and refuses the Supervisor outright', () => {
    const load = (value: string) => loadConfig({ env: { SANDBOX_ALLOWED_HOSTS: value }, optionsFile: '/nonexistent/options.json' });
    expect(load('192.168.1.40, inverter.lan').sandbox.allowedHosts).toEqual({ addresses: ['192.168.1.40'], hosts: ['inverter.lan'] });
    expect(loadConfig({ env: {}, optionsFile: '/nonexistent/options.json' }).sandbox.allowedHosts).toEqual({ addresses: [], hosts: [] });
    expect(() => load('192.168.1.40,172.30.32.2')).toThrow(ConfigError);
    expect(() => load('172.30.32.2')).toThrow(/sandbox_allowed_hosts.*\n.*"172\.30\.32\.2": it reaches the Supervisor's network/);
  });
});

describe('the policy with allowed hosts', () => {
  const answers: Record<string, ResolvedAddress[]> = {
    'inverter.lan': [{ address: '192.168.1.40', family: 4 }],
    'evil.example': [{ address: '192.168.1.40', family: 4 }],
    'loop.lan': [{ address: '127.0.0.2', family: 4 }],
    'super.lan': [{ address: '172.30.32.2', family: 4 }],
    'meta.lan': [{ address: '169.254.169.254', family: 4 }],
  };
  const lookup = async (host: string) => answers[host] ?? [];
  const policy = (entries: string[]) => createFetchPolicy({ ...(() => { const p = parseAllowedHosts(entries); return { allowedAddresses: p.addresses, allowedHosts: p.hosts }; })(), lookup, haUrl: 'http://192.168.1.5:8123' });

  test('a listed name passes with its LAN answer; another name resolving there does not (no DNS rebinding)', async () => {
    const p = policy(['inverter.lan', 'loop.lan', 'super.lan', 'meta.lan']);
    await expect(resolveChecked(p, new URL('http://inverter.lan/api'))).resolves.toEqual({ address: '192.168.1.40', family: 4 });
    await expect(resolveChecked(p, new URL('http://evil.example/'))).rejects.toThrow(/192\.168\.1\.40 is a private.*sandbox_allowed_hosts/);
    await expect(resolveChecked(p, new URL('http://loop.lan/'))).rejects.toThrow('127.0.0.2 is a private');
    await expect(resolveChecked(p, new URL('http://super.lan/'))).rejects.toThrow("the Supervisor's network is never reachable");
    await expect(resolveChecked(p, new URL('http://meta.lan/'))).rejects.toThrow('metadata services are refused unless listed one by one');
  });

  test("the Supervisor's network is refused even if an allow list holds it", () => {
    const p = createFetchPolicy({ allowedAddresses: ['172.30.32.0/23', '172.30.32.2'] });
    expect(() => checkAddress(p, '172.30.32.2')).toThrow("the Supervisor's network is never reachable");
    expect(() => checkAddress(p, '::ffff:172.30.32.2')).toThrow("the Supervisor's network");
  });

  test('metadata addresses open only when listed one by one, never through a range', () => {
    expect(() => checkAddress(policy(['169.254.0.0/16']), '169.254.169.254')).toThrow('metadata');
    expect(() => checkAddress(policy(['169.254.0.0/16']), '169.254.7.7')).not.toThrow();
    expect(() => checkAddress(policy(['169.254.169.254']), '169.254.169.254')).not.toThrow();
    expect(() => checkAddress(policy(['0.0.0.0/1']), '100.100.100.200')).toThrow('metadata');
  });

  test("Home Assistant's address stays refused unless listed", () => {
    expect(() => checkUrl(policy(['192.168.1.0/24']), new URL('http://192.168.1.5:8123/api/states'))).toThrow(/is not reachable from agents/);
    expect(() => checkUrl(policy(['192.168.1.5']), new URL('http://192.168.1.5:8123/api/states'))).not.toThrow();
    expect(() => checkUrl(policy(['homeassistant.local']), new URL('http://homeassistant.local:8123/'))).not.toThrow();
    expect(() => checkUrl(policy([]), new URL('http://homeassistant.local:8123/'))).toThrow(/is not reachable/);
  });
});

describe('fetching a LAN service on 127.0.0.2', () => {
  let server: Server;
  let port = 0;
  const signal = new AbortController().signal;
  const fetcherFor = (entries: string[]) => {
    const p = parseAllowedHosts(entries);
    return createHttpFetcher(createFetchPolicy({ allowedAddresses: p.addresses, allowedHosts: p.hosts }));
  };

  beforeAll(async () => {
    server = createServer((req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ power_w: 1234, path: req.url })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('the listed address and a listed range reach it', async () => {
    for (const entries of [['127.0.0.2'], ['127.0.0.0/29']]) {
      const res = await fetcherFor(entries).fetch(`http://127.0.0.2:${port}/status`, {}, signal);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ power_w: 1234, path: '/status' });
    }
  });

  test('an address not listed is refused before connecting, with the option named', async () => {
    await expect(fetcherFor(['127.0.0.3']).fetch(`http://127.0.0.2:${port}/status`, {}, signal)).rejects.toThrow(/127\.0\.0\.2 is a private.*sandbox_allowed_hosts/);
    await expect(fetcherFor([]).fetch(`http://127.0.0.2:${port}/status`, {}, signal)).rejects.toThrow(/127\.0\.0\.2 is a private/);
  });
});
