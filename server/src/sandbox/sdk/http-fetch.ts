import { z } from 'zod';
import { HttpRequestInit } from '../schemas.ts';
import { defineSdk } from './define.ts';

export const httpFetch = defineSdk({
  name: 'http.fetch',
  path: 'http.fetch',
  scope: 'http',
  mode: 'async',
  heavy: true,
  args: z.tuple([z.string().min(1).max(8192), HttpRequestInit.nullish()]),
  // A small Response look-alike, so code written for fetch() mostly works unchanged.
  shim: `function (rt, name) {
    // Not an async function: a refusal past the pending bound must throw at once (see shim.ts).
    return function fetch(url, init) {
      return rt.call(name, [String(url), init === undefined ? null : init]).then((r) => {
        const headers = rt.assign({}, r.headers);
        rt.defineProperty(headers, 'get', { value: (k) => { const v = r.headers[String(k).toLowerCase()]; return v === undefined ? null : v; } });
        return rt.freeze({
          ok: r.ok, status: r.status, statusText: r.statusText, url: r.url, headers, bodyEncoding: r.bodyEncoding,
          text: async () => r.body,
          json: async () => rt.parse(r.body),
        });
      });
    };
  }`,
  doc: {
    signature: 'agent.http.fetch(url, { method, headers, body })',
    returns: 'a promise of { ok, status, statusText, url, headers, text(), json() } (text() is base64 for binary content)',
    description: 'HTTP(S) request made by the host under a policy: public internet only (no Home Assistant, Supervisor, LAN or metadata addresses; LAN services only where the owner listed them in sandbox_allowed_hosts), 1 MB responses, 15 s, redirects followed and re-checked. body may be a string or an object (sent as JSON). Use this instead of fetch().',
    example: "const r = await agent.http.fetch('https://api.open-meteo.com/v1/forecast?latitude=37.98&longitude=23.73&current_weather=true');\nconst data = await r.json();",
  },
  run(ctx, [url, init]) {
    return ctx.fetcher.fetch(url, init ?? {}, ctx.signal);
  },
});
