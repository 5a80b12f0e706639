// The REST half of the fake: the routes discord.js calls, under any prefix ending in /v10 (the
// client builds `${api}/v10${route}`). Every call is recorded; a request without the bot's token
// gets Discord's 401, an unknown route a 404 that fails the test loudly.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RestCall {
  method: string;
  /** The route after /v10, without the query: `/channels/123/messages`. */
  path: string;
  query: string;
  body: unknown;
}

export interface RestReply {
  status: number;
  body?: unknown;
}

export type RestHandler = (m: RegExpExecArray, body: Record<string, unknown>, query: URLSearchParams) => RestReply;

export interface RestRoute {
  method: string;
  pattern: RegExp;
  handler: RestHandler;
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return undefined;
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) return JSON.parse(raw) as unknown;
  return raw;
}

export function send(res: ServerResponse, reply: RestReply): void {
  if (reply.status === 204) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body ?? {}));
}

/** Routes a recorded call; `undefined` when no route matches. */
export function route(routes: readonly RestRoute[], call: RestCall): RestReply | undefined {
  for (const r of routes) {
    if (r.method !== call.method) continue;
    const m = r.pattern.exec(call.path);
    if (m) return r.handler(m, (call.body ?? {}) as Record<string, unknown>, new URLSearchParams(call.query));
  }
  return undefined;
}

export const UNAUTHORIZED: RestReply = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
export const notFound = (what: string, code: number): RestReply => ({ status: 404, body: { message: `Unknown ${what}`, code } });
