// Meta signs every webhook POST: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body,
// keyed with the app secret>`. Checked over the bytes exactly as received (a re-serialised JSON
// body would differ) and in constant time, before anything in the body is believed. The verify
// token of the subscription handshake is compared in constant time too.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

export function signatureValid(body: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^sha256=([0-9a-f]{64})$/i.exec(value?.trim() ?? '');
  if (!m) return false;
  const presented = Buffer.from(m[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(body).digest();
  return timingSafeEqual(presented, expected);
}

/** Hashing first makes the comparison constant-time in the length as well as the bytes. */
export function verifyTokenMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
