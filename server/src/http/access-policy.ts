// Who may talk to the API, decided from the peer address and the request headers alone (a pure
// function, so every rule is tested without sockets). DESIGN.md "Security model":
// - behind ingress only the Supervisor (172.30.32.2) is served, and the HA user comes from the
//   X-Remote-User-* headers the Supervisor sets; those headers are trusted from nowhere else;
// - with an API key configured, any other client must present it as a bearer token;
// - standalone (not in the add-on) with no key, loopback clients are allowed: the dev/demo mode;
// - in the add-on without a key, the direct port serves nothing but the container HEALTHCHECK: a
//   caller outside the Supervisor's network and the container itself came through the host port
//   the owner mapped (config.yaml `ports`), and is refused before any other rule, webhook paths
//   and the integration's secrets included ("off by default and needs an API key");
// - whatever is granted for being on loopback needs a loopback Host and no foreign Origin
//   (loopback-origin.ts): a web page the user visits must not borrow the loopback trust.
// Ingress and API-key callers get no Host/Origin check: the Supervisor proxies with its own Host
// and the HA frontend's Origin, and a key is never attached by a browser on its own, so a page
// holding it could use it from anywhere; refusing its Origin would protect nothing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../contract/identity.ts';
import { onSupervisorNetwork } from '../ha/supervisor-network.ts';
import { checkLoopbackRequest } from './loopback-origin.ts';

export const SUPERVISOR_ADDRESS = '172.30.32.2';
export const HEALTH_PATH = '/api/health';
/** `/mcp/<token>`: the MCP endpoint for a client that cannot send a bearer key (request-log.ts hides the token). */
export const MCP_CAPABILITY = /^\/mcp\/([A-Za-z0-9_-]{16,128})$/;

/** WebSocket clients cannot set Authorization from a browser; they offer the key as a subprotocol. */
export const WS_PROTOCOL = 'wactorz.v1';
export const WS_BEARER_PREFIX = 'wactorz.bearer.';


export interface AccessPolicy {
  inAddon: boolean;
  apiKey: string | undefined;
  /**
   * The companion HA integration's per-install secret (interfaces/integration/install-identity.ts), sent to
   * Home Assistant only through Supervisor discovery. Accepted like the API key, as the caller
   * `integration`; undefined where there is no integration token (tests, older data dirs).
   */
  integrationToken?: string | undefined;
  /**
   * Webhooks a platform calls without our credentials (WhatsApp's): let through to their route,
   * which must authenticate every call itself (a signature over the body). Exact paths.
   */
  webhookPaths?: readonly string[];
  /** Peers whose X-Remote-User-* headers are believed. Only tests widen this. */
  ingressAddresses: readonly string[];
}

export interface AccessRequest {
  ip: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export type AccessDecision =
  | { allow: true; identity: Identity | null }
  | { allow: false; status: 401 | 403 | 421; code: string; message: string };

const DIRECT_ACCESS_DISABLED: AccessDecision = { allow: false, status: 403, code: 'direct_access_disabled', message: 'Open Wactorz from the Home Assistant sidebar; direct access needs the api_key option' };

const USER_HEADERS = ['x-remote-user-id', 'x-remote-user-name', 'x-remote-user-display-name'] as const;

export function defaultPolicy(over: Partial<AccessPolicy> = {}): AccessPolicy {
  return { inAddon: false, apiKey: undefined, ingressAddresses: [SUPERVISOR_ADDRESS], ...over };
}

export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}


export function isLoopback(ip: string): boolean {
  const a = normaliseIp(ip);
  return a === '::1' || a.startsWith('127.');
}

function header(headers: AccessRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function userField(headers: AccessRequest['headers'], name: string): string | null {
  const v = header(headers, name)?.trim();
  return v ? v.slice(0, 200) : null;
}

/** The key from `Authorization: Bearer` or, for WebSockets, from the bearer subprotocol. */
export function presentedKey(headers: AccessRequest['headers']): string | undefined {
  const auth = header(headers, 'authorization');
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : '';
  }
  const protocols = header(headers, 'sec-websocket-protocol');
  for (const p of protocols?.split(',') ?? []) {
    const t = p.trim();
    if (t.startsWith(WS_BEARER_PREFIX)) return Buffer.from(t.slice(WS_BEARER_PREFIX.length), 'base64url').toString('utf8');
  }
  return undefined;
}

/** Hashing first makes the comparison constant-time in the key's length as well as its bytes. */
export function keysEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function decideAccess(req: AccessRequest, policy: AccessPolicy): AccessDecision {
  const ip = normaliseIp(req.ip);
  if (policy.ingressAddresses.includes(ip)) {
    return {
      allow: true,
      identity: {
        userId: userField(req.headers, 'x-remote-user-id'),
        userName: userField(req.headers, 'x-remote-user-name'),
        displayName: userField(req.headers, 'x-remote-user-display-name'),
        via: 'ingress',
      },
    };
  }
  // Someone who is not the Supervisor claiming to be an HA user is an attack, not a mistake.
  if (USER_HEADERS.some((h) => header(req.headers, h) !== undefined)) {
    return { allow: false, status: 403, code: 'untrusted_identity', message: 'X-Remote-User headers are accepted only from the Home Assistant Supervisor' };
  }

  // The direct port without an api_key: closed, whatever the request carries.
  if (policy.inAddon && policy.apiKey === undefined && !isLoopback(ip) && !onSupervisorNetwork(ip)) return DIRECT_ACCESS_DISABLED;

  if (policy.webhookPaths?.includes(req.path)) return { allow: true, identity: null };

  // Home Assistant's `mcp` integration sends no credentials (it knows only OAuth), so the add-on
  // offers it, through Supervisor discovery only, /mcp/<integration token>: the URL is the secret.
  const capability = MCP_CAPABILITY.exec(req.path);
  if (capability && policy.integrationToken !== undefined && keysEqual(capability[1] ?? '', policy.integrationToken)) {
    return { allow: true, identity: { userId: null, userName: 'integration', displayName: 'Home Assistant (MCP)', via: 'integration' } };
  }

  const key = presentedKey(req.headers);
  if (key !== undefined && policy.integrationToken !== undefined && keysEqual(key, policy.integrationToken)) {
    return { allow: true, identity: { userId: null, userName: 'integration', displayName: 'Home Assistant integration', via: 'integration' } };
  }
  if (key !== undefined) {
    if (policy.apiKey === undefined) {
      return { allow: false, status: 401, code: 'invalid_api_key', message: 'No API key is configured on this server; set WACTORZ_API_KEY to use bearer authentication' };
    }
    if (!keysEqual(key, policy.apiKey)) return { allow: false, status: 401, code: 'invalid_api_key', message: 'The API key is not valid' };
    return { allow: true, identity: { userId: null, userName: 'api', displayName: 'API client', via: 'api_key' } };
  }

  // The add-on's Dockerfile HEALTHCHECK calls this from inside the container.
  if (req.path === HEALTH_PATH && isLoopback(ip)) return loopbackGrant(req, null);

  if (!policy.inAddon && policy.apiKey === undefined && isLoopback(ip)) {
    return loopbackGrant(req, { userId: null, userName: 'local', displayName: 'Local user', via: 'local' });
  }
  if (policy.inAddon && policy.apiKey === undefined) return DIRECT_ACCESS_DISABLED;
  return {
    allow: false,
    status: 401,
    code: 'unauthorized',
    message: policy.apiKey === undefined ? 'Only local clients are allowed; set WACTORZ_API_KEY to allow others' : 'Send Authorization: Bearer <WACTORZ_API_KEY>',
  };
}

function loopbackGrant(req: AccessRequest, identity: Identity | null): AccessDecision {
  const refusal = checkLoopbackRequest(header(req.headers, 'host'), header(req.headers, 'origin'));
  return refusal ? { allow: false, ...refusal } : { allow: true, identity };
}
