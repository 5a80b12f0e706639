// What loopback access grants is granted only to requests a web page cannot forge. Loopback
// access trusts the peer address, but a page the user visits reaches loopback too, two ways:
// - DNS rebinding: the page's own name (evil.example) is re-pointed at 127.0.0.1, so the browser
//   treats the server as same-origin with the page; its Host header still says evil.example;
// - cross-site requests: the page posts to http://localhost:8099 directly (a text/plain POST or a
//   form needs no CORS preflight, and WebSockets have no CORS at all); its Origin says so.
// So the Host must be a loopback name and an Origin, when present, the server's own. Browsers
// always send Origin on WebSocket upgrades and on POST/PUT/PATCH/DELETE; non-browser clients
// (the CLI, curl, the container HEALTHCHECK) send none and are not affected.
// Pure functions: the access policy calls them; no input is echoed into messages.

export interface LoopbackRefusal {
  status: 403 | 421;
  code: 'misdirected_host' | 'cross_origin';
  message: string;
}

// A Host header is `name[:port]`; anything else (userinfo, paths, spaces, a list) is not one.
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/;
const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
// A serialized origin is `scheme://host[:port]` with nothing after it; "null" (sandboxed frames,
// file:// pages) and other schemes are foreign by definition.
const ORIGIN = /^(https?):\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/;

/** The name and port of a Host header, lower-cased; undefined for a malformed one. */
export function parseHost(value: string): { name: string; port: number | undefined } | undefined {
  const m = HOST_HEADER.exec(value.trim().toLowerCase());
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { name: m[1] ?? '', port };
}

/**
 * Names no DNS answer can re-point: `localhost` (also as the FQDN `localhost.`), IPv4 literals in
 * 127.0.0.0/8 and `[::1]`. An IP literal involves no DNS at all, and browsers resolve localhost
 * themselves. `*.localhost` is refused: RFC 6761 reserves it for loopback and Chromium and Firefox
 * honour that, but other resolvers may forward it to DNS, where a hostile network can answer, and
 * nothing here needs such names.
 */
export function isLoopbackHostName(name: string): boolean {
  const n = name.toLowerCase();
  if (n === 'localhost' || n === 'localhost.' || n === '[::1]') return true;
  const m = IPV4_LOOPBACK.exec(n);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/** Whether `origin` is the origin of a page served by this Host (scheme's default port implied). */
export function isSameOrigin(origin: string, host: string): boolean {
  const o = ORIGIN.exec(origin.trim().toLowerCase());
  const h = parseHost(host);
  if (!o || !h) return false;
  const defaultPort = o[1] === 'https' ? 443 : 80;
  const originPort = o[3] === undefined ? defaultPort : Number(o[3]);
  return o[2] === h.name && originPort === (h.port ?? defaultPort);
}

export const MISDIRECTED_HOST_MESSAGE =
  'Without an API key this server answers only requests addressed to localhost, 127.0.0.1 or [::1] (any port). ' +
  'Open it by one of those names, or set WACTORZ_API_KEY and send the key to reach it by another name.';
export const CROSS_ORIGIN_MESSAGE =
  'Requests from another web page are refused: without an API key this server answers only its own panel and clients that are not browsers.';

/** Why a loopback request must be refused, or undefined when it may have what loopback grants. */
export function checkLoopbackRequest(host: string | undefined, origin: string | undefined): LoopbackRefusal | undefined {
  const parsed = host === undefined ? undefined : parseHost(host);
  // 421 Misdirected Request: the request names a server that is not this one.
  if (!parsed || !isLoopbackHostName(parsed.name)) return { status: 421, code: 'misdirected_host', message: MISDIRECTED_HOST_MESSAGE };
  if (origin !== undefined && !isSameOrigin(origin, host ?? '')) return { status: 403, code: 'cross_origin', message: CROSS_ORIGIN_MESSAGE };
  return undefined;
}
