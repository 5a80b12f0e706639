// The REST API of the demo home (homeassistant/components/api, config/automation, camera,
// history, conversation of HA 2025.7): Bearer token on every /api/ path (401 "401: Unauthorized"
// otherwise), JSON bodies, HA's status codes and messages.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HassEntity } from 'home-assistant-js-websocket';
import { AutomationConfigError } from './automations.ts';
import { snapshotPng } from './camera.ts';
import type { DemoHomeCore } from './core.ts';
import { CommandError } from './protocol.ts';

const MAX_BODY = 1024 * 1024;
const DAY = 86_400_000;

type Reply = { status: number; json?: unknown; text?: string; body?: Buffer; type?: string; headers?: Record<string, string> };

export async function handleRest(home: DemoHomeCore, token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let reply: Reply;
  try {
    reply = await route(home, token, req);
  } catch (err) {
    reply = err instanceof HttpError ? { status: err.status, json: { message: err.message } } : { status: 500, text: '500 Internal Server Error\n\nServer got itself in trouble' };
  }
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: Buffer;
  if (reply.body) {
    payload = reply.body;
    headers['content-type'] = reply.type ?? 'application/octet-stream';
  } else if (reply.text !== undefined) {
    payload = Buffer.from(reply.text);
    headers['content-type'] = 'text/plain; charset=utf-8';
  } else {
    payload = Buffer.from(JSON.stringify(reply.json ?? null));
    headers['content-type'] = 'application/json';
  }
  res.writeHead(reply.status, { ...headers, 'content-length': String(payload.length) });
  res.end(payload);
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function route(home: DemoHomeCore, token: string, req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://demo.local');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (!path.startsWith('/api/')) return { status: 404, text: '404: Not Found' };
  if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, text: '401: Unauthorized' };
  const seg = path.split('/').slice(2).map((s) => decodeURIComponent(s));
  const [a = '', b, c, d] = seg;

  if (a === '' && seg.length === 1 && method === 'GET') return { status: 200, json: { message: 'API running.' } };
  if (a === 'config' && seg.length === 1 && method === 'GET') return { status: 200, json: home.config() };

  if (a === 'states') {
    if (b === undefined && method === 'GET') return { status: 200, json: home.states.all() };
    if (b !== undefined) return states(home, method, b, req);
  }

  if (a === 'services' && b === undefined && method === 'GET') {
    return { status: 200, json: Object.entries(home.services.describe()).map(([domain, services]) => ({ domain, services })) };
  }
  if (a === 'services' && b !== undefined && c !== undefined && method === 'POST') return callService(home, b, c, await readJson(req), url.searchParams.has('return_response'));

  if (a === 'events' && b !== undefined && method === 'POST') {
    const data = await readJson(req);
    home.bus.fire(b, (data ?? {}) as Record<string, unknown>, home.newContext());
    return { status: 200, json: { message: `Event ${b} fired.` } };
  }

  if (a === 'config' && b === 'automation' && c === 'config' && d !== undefined) return automation(home, method, d, req);

  if (a === 'camera_proxy' && b !== undefined && method === 'GET') {
    if (!b.startsWith('camera.') || !home.states.has(b)) return { status: 404, text: '404: Not Found' };
    return { status: 200, body: snapshotPng(home.clock.now()), type: 'image/png' };
  }

  if (a === 'history' && b === 'period' && method === 'GET') return history(home, c, url.searchParams);

  if (a === 'conversation' && b === 'process' && method === 'POST') {
    const body = (await readJson(req)) as { text?: unknown } | undefined;
    if (typeof body?.text !== 'string') throw new HttpError(400, "Message format incorrect: required key not provided @ data['text']");
    return { status: 200, json: home.converse(body as { text: string }) };
  }
  return { status: 404, text: '404: Not Found' };
}

async function states(home: DemoHomeCore, method: string, entityId: string, req: IncomingMessage): Promise<Reply> {
  if (method === 'GET') {
    const state = home.states.get(entityId);
    return state ? { status: 200, json: state } : { status: 404, json: { message: 'Entity not found.' } };
  }
  if (method === 'DELETE') {
    return home.states.remove(entityId) ? { status: 200, json: { message: 'Entity removed.' } } : { status: 404, json: { message: 'Entity not found.' } };
  }
  if (method === 'POST') {
    const body = (await readJson(req)) as { state?: unknown; attributes?: unknown } | undefined;
    if (body?.state === undefined) throw new HttpError(400, 'No state specified.');
    const existed = home.states.has(entityId);
    let state;
    try {
      state = home.states.set(entityId, typeof body.state === 'string' ? body.state : JSON.stringify(body.state), (body.attributes ?? {}) as Record<string, unknown>, { replaceAttributes: true, context: home.newContext() });
    } catch (err) {
      throw new HttpError(400, err instanceof Error ? err.message : 'Invalid state');
    }
    return { status: existed ? 200 : 201, json: state, headers: { location: `/api/states/${entityId}` } };
  }
  return { status: 405, text: '405: Method Not Allowed' };
}

function callService(home: DemoHomeCore, domain: string, service: string, body: unknown, returnResponse: boolean): Reply {
  const context = home.newContext();
  const changed: HassEntity[] = [];
  const stop = home.bus.listen('state_changed', (event) => {
    const next = event.data.new_state as HassEntity | null;
    if (next && next.context.id === context.id) changed.push(next);
  });
  try {
    const { response } = home.services.call({ domain, service, serviceData: (body ?? {}) as Record<string, unknown>, returnResponse, context });
    return { status: 200, json: returnResponse ? { changed_states: changed, service_response: response } : changed };
  } catch (err) {
    // HA's APIDomainServicesView turns vol.Invalid and ServiceNotFound into a bare 400.
    if (err instanceof CommandError && (err.code === 'not_found' || err.code === 'invalid_format')) return { status: 400, text: '400: Bad Request' };
    if (err instanceof CommandError) return { status: 400, json: { message: err.message } };
    throw err;
  } finally {
    stop();
  }
}

async function automation(home: DemoHomeCore, method: string, id: string, req: IncomingMessage): Promise<Reply> {
  if (method === 'GET') {
    const config = home.automations.get(id);
    return config ? { status: 200, json: config } : { status: 404, json: { message: 'Resource not found' } };
  }
  if (method === 'POST') {
    try {
      home.automations.save(id, await readJson(req));
    } catch (err) {
      if (err instanceof AutomationConfigError) throw new HttpError(400, err.message);
      throw err;
    }
    return { status: 200, json: { result: 'ok' } };
  }
  if (method === 'DELETE') {
    // HA's config view answers 400 (not 404) when deleting what is not there.
    return home.automations.delete(id) ? { status: 200, json: { result: 'ok' } } : { status: 400, json: { message: 'Resource not found' } };
  }
  return { status: 405, text: '405: Method Not Allowed' };
}

function history(home: DemoHomeCore, startText: string | undefined, params: URLSearchParams): Reply {
  const start = startText === undefined ? home.clock.now() - DAY : Date.parse(startText);
  const endText = params.get('end_time');
  const end = endText === null ? start + DAY : Date.parse(endText);
  if (!Number.isFinite(start)) throw new HttpError(400, 'Invalid datetime');
  if (!Number.isFinite(end)) throw new HttpError(400, 'Invalid end_time');
  const filter = params.get('filter_entity_id');
  if (!filter) throw new HttpError(400, 'filter_entity_id is missing');
  const entityIds = filter.split(',').map((s) => s.trim()).filter(Boolean);
  return { status: 200, json: home.history.query({ start, end, entityIds, minimal: params.has('minimal_response'), noAttributes: params.has('no_attributes') }) };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'Payload too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Invalid JSON specified.');
  }
}
