// http.fetch's policy and the host-side fetcher, against real local HTTP servers. The default
// policy refuses them (they are local); tests allow 127.0.0.1 explicitly where they need to reach one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { createHttpFetcher } from '../../../server/src/sandbox/fetch/fetcher.ts';
import { checkAddress, checkUrl, createFetchPolicy, resolveChecked, type ResolvedAddress } from '../../../server/src/sandbox/fetch/policy.ts';
import { eventually } from '../../helpers/fake-agent-host.ts';

describe('policy', () => {
  const policy = createFetchPolicy({ haUrl: 'http://my-ha.example.net:8123' });

  test.each(['ftp://example.com/x', 'file:///etc/passwd', 'data:text/plain,hi', 'ws://example.com'])('refuses the scheme of %s', (url) => {
    expect(() => checkUrl(policy, new URL(url))).toThrow(/only http and https URLs are allowed/);
  });

  test.each([
    'http://supervisor/core/api/states', 'http://homeassistant:8123/api', 'http://hassio/addons', 'http://metadata.google.internal/computeMetadata/v1/',
    'http://localhost:8099/', 'http://app.localhost/', 'http://LOCALHOST./', 'http://my-ha.example.net:8123/api/states',
  ])('refuses the host of %s', (url) => {
    expect(() => checkUrl(policy, new URL(url))).toThrow(/is not reachable from agents/);
  });

  test.each([
    '127.0.0.1', '10.1.2.3', '172.30.32.2', '172.16.0.1', '192.168.1.10', '169.254.169.254', '100.100.100.200', '0.0.0.0', '224.0.0.1',
    '::1', '::', 'fd00:ec2::254', 'fe80::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe',
  ])('refuses the address %s', (address) => {
    expect(() => checkAddress(policy, address)).toThrow(/private, local or metadata address/);
  });

  test.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111'])('allows the public address %s', (address) => {
    expect(() => checkAddress(policy, address)).not.toThrow();
  });

  test('odd spellings of loopback and metadata addresses are normalised by the URL parser, then refused', async () => {
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/']) {
      await expect(resolveChecked(policy, new URL(url))).rejects.toThrow(/private, local or metadata address/);
    }
  });

  test('names are resolved and every answer is checked', async () => {
    const answers: Record<string, ResolvedAddress[]> = {
      'public.example': [{ address: '93.184.216.34', family: 4 }],
      'sneaky.example': [{ address: '10.0.0.5', family: 4 }],
      'mixed.example': [{ address: '93.184.216.34', family: 4 }, { address: '169.254.169.254', family: 4 }],
    };
    const p = createFetchPolicy({
      lookup: async (host) => {
        const a = answers[host];
        if (a === undefined) throw new Error('ENOTFOUND');
        return a;
      },
    });
    await expect(resolveChecked(p, new URL('https://public.example/x'))).resolves.toEqual({ address: '93.184.216.34', family: 4 });
    await expect(resolveChecked(p, new URL('https://sneaky.example/'))).rejects.toThrow('10.0.0.5 is a private, local or metadata address');
    await expect(resolveChecked(p, new URL('https://mixed.example/'))).rejects.toThrow('169.254.169.254 is a private');
    await expect(resolveChecked(p, new URL('https://nowhere.example/'))).rejects.toThrow('cannot resolve nowhere.example');
  });

  test('an explicit allow list opens exactly the listed addresses', () => {
    const p = createFetchPolicy({ allowedAddresses: ['127.0.0.1', '192.168.5.0/24'] });
    expect(() => checkAddress(p, '127.0.0.1')).not.toThrow();
    expect(() => checkAddress(p, '192.168.5.77')).not.toThrow();
    expect(() => checkAddress(p, '127.0.0.2')).toThrow();
    expect(() => checkAddress(p, '192.168.6.1')).toThrow();
  });
});

describe('fetcher', () => {
  let server: Server;
  let port = 0;
  let base = '';
  const seen: { url: string; host: string; method: string; auth?: string }[] = [];
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/hello': (_req, res) => res.end('hello'),
    '/big': (_req, res) => res.end(Buffer.alloc(2 * 1024 * 1024, 97)),
    '/hang': () => {},
    '/image': (_req, res) => {
      res.setHeader('content-type', 'image/png');
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    },
    '/to-metadata': (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    '/to-hello': (_req, res) => res.writeHead(302, { location: '/hello' }).end(),
    '/see-other': (_req, res) => res.writeHead(303, { location: '/hello' }).end(),
    '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', host: req.headers.host ?? '', method: req.method ?? '', auth: req.headers.authorization });
      (routes[req.url ?? ''] ?? ((_q: IncomingMessage, r: ServerResponse) => r.writeHead(404).end()))(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const allowLocal = (extra: Parameters<typeof createFetchPolicy>[0] = {}) => createFetchPolicy({ allowedAddresses: ['127.0.0.1'], ...extra });
  const signal = new AbortController().signal;

  test('the default policy refuses a local server before connecting', async () => {
    const before = seen.length;
    await expect(createHttpFetcher(createFetchPolicy()).fetch(`${base}/hello`, {}, signal)).rejects.toThrow(/127\.0\.0\.1 is a private/);
    expect(seen.length).toBe(before);
  });

  test('a redirect is followed and checked again: relative redirects work, a redirect to metadata is refused', async () => {
    const fetcher = createHttpFetcher(allowLocal());
    await expect(fetcher.fetch(`${base}/to-hello`, {}, signal)).resolves.toMatchObject({ status: 200, body: 'hello', url: `${base}/hello` });
    await expect(fetcher.fetch(`${base}/to-metadata`, {}, signal)).rejects.toThrow('169.254.169.254 is a private, local or metadata address');
    await expect(fetcher.fetch(`${base}/loop`, {}, signal)).rejects.toThrow('more than 5 redirects');
  });

  test('303 turns a POST into a GET without body', async () => {
    const fetcher = createHttpFetcher(allowLocal());
    const before = seen.length;
    await fetcher.fetch(`${base}/see-other`, { method: 'POST', body: 'x' }, signal);
    expect(seen.slice(before).map((s) => `${s.method} ${s.url}`)).toEqual(['POST /see-other', 'GET /hello']);
  });

  test('responses over the size limit are cut off with an error', async () => {
    await expect(createHttpFetcher(allowLocal()).fetch(`${base}/big`, {}, signal)).rejects.toThrow(/larger than 1 MB/);
  });

  test('request bodies over the limit are refused', async () => {
    await expect(createHttpFetcher(allowLocal()).fetch(`${base}/hello`, { method: 'POST', body: 'x'.repeat(300 * 1024) }, signal)).rejects.toThrow(/request body is 300 KB, over the 256 KB limit/);
  });

  test('a server that never answers hits the time limit (injected clock)', async () => {
    const clock = new ManualClock();
    const result = createHttpFetcher(allowLocal(), clock).fetch(`${base}/hang`, {}, signal).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await eventually(() => seen.some((s) => s.url === '/hang'), 'the request to arrive');
    await clock.advance(15_000);
    expect(await result).toBe(`agent.http.fetch: 127.0.0.1:${port} did not answer within 15 s`);
  });

  test('the connection goes to the address that was checked, under the original host name', async () => {
    const fetcher = createHttpFetcher(allowLocal({ lookup: async () => [{ address: '127.0.0.1', family: 4 }] }));
    const before = seen.length;
    await expect(fetcher.fetch(`http://rebind.test:${port}/hello`, { headers: { Host: 'evil.example', 'X-Ok': '1' } }, signal)).resolves.toMatchObject({ body: 'hello' });
    expect(seen[before]).toMatchObject({ host: `rebind.test:${port}` });
  });

  test('binary bodies come back as base64; credentials are not forwarded across origins', async () => {
    const fetcher = createHttpFetcher(allowLocal());
    await expect(fetcher.fetch(`${base}/image`, {}, signal)).resolves.toMatchObject({ bodyEncoding: 'base64', body: 'iVBORw==', headers: expect.objectContaining({ 'content-type': 'image/png' }) as unknown });
    const other = `http://localhost:${port}`;
    const crossOrigin = createHttpFetcher(createFetchPolicy({ allowedAddresses: ['127.0.0.1', '::1'], blockedHosts: [], lookup: async () => [{ address: '127.0.0.1', family: 4 }] }));
    routes['/cross'] = (_req, res) => res.writeHead(302, { location: `${other}/hello` }).end();
    const before = seen.length;
    await crossOrigin.fetch(`${base}/cross`, { headers: { authorization: 'Bearer abc' } }, signal);
    expect(seen.slice(before).map((s) => [s.url, s.auth])).toEqual([['/cross', 'Bearer abc'], ['/hello', undefined]]);
  });

  test('an aborted signal (agent stopped) ends the request', async () => {
    const ctrl = new AbortController();
    const pending = createHttpFetcher(allowLocal()).fetch(`${base}/hang`, {}, ctrl.signal);
    ctrl.abort();
    await expect(pending).rejects.toThrow('agent.http.fetch: the agent stopped');
  });
});
