import { describe, expect, it } from 'vitest';
import { checkLoopbackRequest, isLoopbackHostName, isSameOrigin, parseHost } from '../../../server/src/http/loopback-origin.ts';

describe('parseHost', () => {
  it('splits name and port, lower-cased', () => {
    expect(parseHost('LocalHost:8099')).toEqual({ name: 'localhost', port: 8099 });
    expect(parseHost('[::1]:8099')).toEqual({ name: '[::1]', port: 8099 });
    expect(parseHost('127.0.0.1')).toEqual({ name: '127.0.0.1', port: undefined });
  });

  it('rejects what is not a Host header', () => {
    for (const bad of ['', 'evil.example@localhost', 'localhost:8099/x', 'localhost, evil.example', 'local host', 'localhost:99999', 'localhost:', '::1']) {
      expect(parseHost(bad), bad).toBeUndefined();
    }
  });
});

describe('isLoopbackHostName', () => {
  it('accepts the names no DNS answer can re-point', () => {
    for (const ok of ['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '127.1.2.3', '127.255.255.255', '[::1]']) expect(isLoopbackHostName(ok), ok).toBe(true);
  });

  it('refuses everything else, including names that merely look local', () => {
    const refused = [
      'evil.example', 'localhost.evil.example', 'evil.localhost', 'app.localhost', '127.0.0.1.nip.io', '127.0.0.1.evil.example',
      '127.0.0.256', '127.1', '0.0.0.0', '192.168.1.20', '[::ffff:127.0.0.1]', '[::]', 'localhost..', '',
    ];
    for (const bad of refused) expect(isLoopbackHostName(bad), bad).toBe(false);
  });
});

describe('isSameOrigin', () => {
  it('matches the origin of a page served by this Host, default ports implied', () => {
    expect(isSameOrigin('http://localhost:8099', 'localhost:8099')).toBe(true);
    expect(isSameOrigin('http://LOCALHOST:8099', 'localhost:8099')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:8099', '127.0.0.1:8099')).toBe(true);
    expect(isSameOrigin('http://[::1]:8099', '[::1]:8099')).toBe(true);
    expect(isSameOrigin('http://localhost', 'localhost:80')).toBe(true);
    expect(isSameOrigin('https://localhost', 'localhost')).toBe(true);
    // The server cannot see whether a proxy in front terminated TLS; one loopback port is one server.
    expect(isSameOrigin('https://localhost:8099', 'localhost:8099')).toBe(true);
  });

  it('refuses other hosts, ports, schemes and opaque origins', () => {
    const host = 'localhost:8099';
    for (const origin of [
      'http://evil.example', 'http://evil.example:8099', 'http://localhost:3000', 'http://127.0.0.1:8099',
      'null', 'file://', 'chrome-extension://abc', 'http://localhost:8099/', 'http://localhost:8099, http://evil.example', '',
    ]) {
      expect(isSameOrigin(origin, host), origin).toBe(false);
    }
    expect(isSameOrigin('https://localhost', 'localhost:80')).toBe(false);
  });
});

describe('checkLoopbackRequest', () => {
  it('lets through a loopback Host with its own Origin or none (the panel, the CLI, curl)', () => {
    expect(checkLoopbackRequest('localhost:8099', undefined)).toBeUndefined();
    expect(checkLoopbackRequest('127.0.0.1:8099', 'http://127.0.0.1:8099')).toBeUndefined();
  });

  it('answers a foreign or missing Host with 421 misdirected_host, without echoing it', () => {
    for (const host of ['evil.example', 'evil.example:8099', '<script>alert(1)</script>', undefined]) {
      const r = checkLoopbackRequest(host, undefined);
      expect(r).toMatchObject({ status: 421, code: 'misdirected_host' });
      if (host) expect(r?.message).not.toContain(host);
    }
  });

  it('answers a foreign Origin with 403 cross_origin, without echoing it', () => {
    const r = checkLoopbackRequest('localhost:8099', 'http://evil.example');
    expect(r).toMatchObject({ status: 403, code: 'cross_origin' });
    expect(r?.message).not.toContain('evil');
    expect(checkLoopbackRequest('localhost:8099', 'null')).toMatchObject({ status: 403 });
  });

  it('judges the Host first: a rebinding page is same-origin with itself, so its Origin matches its Host', () => {
    expect(checkLoopbackRequest('evil.example:8099', 'http://evil.example:8099')).toMatchObject({ status: 421 });
  });
});
