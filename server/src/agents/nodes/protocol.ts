// The signed command channel between the server and its edge runners (nodes/{name}/...). Anyone
// who can publish on the broker could otherwise make a Raspberry Pi run code (the original's
// remote code execution), so every command and every answer carries an HMAC-SHA256 over its
// canonical JSON with the node's own secret, a timestamp and a nonce. The signature also covers
// the node name and the command kind: a spawn signed for rpi-kitchen cannot be replayed to
// rpi-bedroom, nor a stop turned into a spawn. The same signer and verifier serve the node's
// heartbeats, so a heartbeat is as hard to forge as a command. Nonces: nonce-window.ts (kept on
// disk by the edge runner). Pure node:crypto, no bus: the edge imports it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MAX_COMMAND_AGE_MS, type NonceClaimer } from './nonce-window.ts';

// Heartbeats and migrate_result are signed kinds of their own: a captured heartbeat cannot be
// passed off as a command's answer, nor an answer as a heartbeat.
export const NODE_COMMANDS = ['spawn', 'stop', 'migrate', 'list', 'result', 'heartbeat', 'migrate_result'] as const;
export type NodeCommand = (typeof NODE_COMMANDS)[number];

export { MAX_COMMAND_AGE_MS, NonceCache, type NonceClaimer, type NonceSnapshot, type NonceVerdict } from './nonce-window.ts';

// A type, not an interface: signed messages go out through the typed topic map, whose loose
// payload schemas want an index signature that only type literals get implicitly.
export type Signed = {
  ts: number;
  nonce: string;
  sig: string;
};

export type SignedMessage<T extends object> = T & Signed;

/** JSON with object keys sorted at every level, so both sides hash the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function mac(secret: string, node: string, command: NodeCommand, unsigned: object): string {
  return createHmac('sha256', secret).update(canonicalJson({ command, node, message: unsigned })).digest('hex');
}

export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** A per-node secret: 32 random bytes, generated at deploy. */
export function newNodeSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function signMessage<T extends object>(secret: string, node: string, command: NodeCommand, body: T, now: number, nonce: string = newNonce()): SignedMessage<T> {
  const unsigned = { ...body, ts: now, nonce };
  return { ...unsigned, sig: mac(secret, node, command, unsigned) };
}

export type Verification<T> = { ok: true; body: T } | { ok: false; reason: string };

export interface VerifyOptions {
  secret: string;
  node: string;
  command: NodeCommand;
  now: number;
  nonces: NonceClaimer;
  maxAgeMs?: number;
}

/**
 * Checks signature (constant time), age and nonce, in that order; the nonce is claimed only when
 * the signature holds. The body comes back unparsed: callers read it through verifyNodeMessage
 * (messages.ts), which parses it by its kind's schema.
 */
export function verifyMessage(message: unknown, o: VerifyOptions): Verification<Record<string, unknown>> {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return { ok: false, reason: 'not a JSON object' };
  const { sig, ...unsigned } = message as Record<string, unknown>;
  const { ts, nonce } = unsigned;
  if (typeof sig !== 'string' || typeof ts !== 'number' || typeof nonce !== 'string' || nonce === '') return { ok: false, reason: 'unsigned (no sig, ts or nonce)' };
  const expected = Buffer.from(mac(o.secret, o.node, o.command, unsigned), 'hex');
  const given = Buffer.from(sig, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad signature' };
  const maxAge = o.maxAgeMs ?? MAX_COMMAND_AGE_MS;
  if (Math.abs(o.now - ts) > maxAge) return { ok: false, reason: `stale (signed ${Math.round((o.now - ts) / 1000)} s from now; the limit is ${Math.round(maxAge / 1000)} s: check both clocks)` };
  const claimed = o.nonces.claim(nonce, ts, o.now);
  if (claimed === 'replayed') return { ok: false, reason: 'replayed (nonce already used)' };
  if (claimed === 'too-old') return { ok: false, reason: 'replayed (signed before the oldest nonce still remembered)' };
  const body: Record<string, unknown> = { ...unsigned };
  delete body.ts;
  delete body.nonce;
  return { ok: true, body };
}
