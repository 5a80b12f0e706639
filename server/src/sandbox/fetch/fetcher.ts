// http.fetch, run on the host. One request per hop: each redirect target goes through the
// policy again, the socket connects to the address the policy checked (no second DNS answer),
// the body is cut off past the size limit and the whole exchange is bounded in time.
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { systemClock, type Clock } from '../../core/clock.ts';
import { SdkError } from '../errors.ts';
import { formatBytes, formatMs } from '../limits.ts';
import type { HttpRequestInit } from '../schemas.ts';
import { resolveChecked, type FetchPolicy, type ResolvedAddress } from './policy.ts';

export interface HttpResponseData {
  url: string;
  status: number;
  statusText: string;
  ok: boolean;
  headers: Record<string, string>;
  /** UTF-8 text for textual content types, base64 otherwise (see bodyEncoding). */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
}

export interface HttpFetcher {
  fetch(url: string, init: HttpRequestInit, signal: AbortSignal): Promise<HttpResponseData>;
}

/** Headers an agent may not set: the transport's own, and credentials for hosts it was not given. */
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'accept-encoding']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function isTextual(contentType: string): boolean {
  return contentType === '' || /^text\/|json|xml|javascript|x-www-form-urlencoded|csv|yaml/i.test(contentType);
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

interface Hop {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
}

function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

function requestOnce(url: URL, pinned: ResolvedAddress, method: string, headers: Record<string, string>, body: Buffer | undefined, policy: FetchPolicy, signal: AbortSignal): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const options: RequestOptions = { method, headers, signal, lookup: pinnedLookup(pinned), agent: false };
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > policy.maxResponseBytes) {
          res.destroy();
          reject(new SdkError(`agent.http.fetch: the response of ${url.host} is larger than ${formatBytes(policy.maxResponseBytes)}`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: flatHeaders(res.headers), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    };
    const req = url.protocol === 'https:' ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
    req.on('error', reject);
    req.end(body);
  });
}

function encodeBody(init: HttpRequestInit, headers: Record<string, string>, policy: FetchPolicy): Buffer | undefined {
  if (init.body === undefined) return undefined;
  let text: string;
  if (typeof init.body === 'string') text = init.body;
  else {
    text = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const buf = Buffer.from(text, 'utf8');
  if (buf.length > policy.maxRequestBytes) throw new SdkError(`agent.http.fetch: the request body is ${formatBytes(buf.length)}, over the ${formatBytes(policy.maxRequestBytes)} limit`);
  return buf;
}

export function createHttpFetcher(policy: FetchPolicy, clock: Clock = systemClock): HttpFetcher {
  return {
    async fetch(rawUrl, init, signal) {
      if (!URL.canParse(rawUrl)) throw new SdkError(`agent.http.fetch: not a URL: ${rawUrl.slice(0, 200)}`);
      let url = new URL(rawUrl);
      let method = init.method ?? 'GET';
      const headers: Record<string, string> = { 'user-agent': 'wactorz-agent', 'accept-encoding': 'identity' };
      for (const [k, v] of Object.entries(init.headers ?? {})) if (!DROPPED_HEADERS.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
      let body = encodeBody(init, headers, policy);

      const timeout = new AbortController();
      const timer = clock.setTimeout(() => timeout.abort(), policy.timeoutMs);
      const both = AbortSignal.any([signal, timeout.signal]);
      try {
        for (let redirects = 0; ; redirects++) {
          const pinned = await resolveChecked(policy, url);
          const hop = await requestOnce(url, pinned, method, headers, body, policy, both);
          const location = hop.headers.location;
          if (REDIRECTS.has(hop.status) && location !== undefined) {
            if (redirects >= policy.maxRedirects) throw new SdkError(`agent.http.fetch: more than ${policy.maxRedirects} redirects`);
            const next = new URL(location, url);
            if (next.origin !== url.origin) {
              delete headers.authorization;
              delete headers.cookie;
            }
            if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === 'POST')) {
              method = 'GET';
              body = undefined;
              delete headers['content-type'];
            }
            url = next;
            continue;
          }
          const contentType = hop.headers['content-type'] ?? '';
          const textual = isTextual(contentType);
          return {
            url: url.href,
            status: hop.status,
            statusText: hop.statusText,
            ok: hop.status >= 200 && hop.status < 300,
            headers: hop.headers,
            body: hop.body.toString(textual ? 'utf8' : 'base64'),
            bodyEncoding: textual ? 'utf8' : 'base64',
          };
        }
      } catch (err) {
        if (timeout.signal.aborted) throw new SdkError(`agent.http.fetch: ${url.host} did not answer within ${formatMs(policy.timeoutMs)}`);
        if (signal.aborted) throw new SdkError('agent.http.fetch: the agent stopped');
        if (err instanceof SdkError) throw err;
        throw new SdkError(`agent.http.fetch: request to ${url.host} failed: ${(err as Error).message}`);
      } finally {
        timer.cancel();
      }
    },
  };
}
