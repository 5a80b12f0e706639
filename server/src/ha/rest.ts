// The REST side of Home Assistant: automation configs (/api/config/automation/config/<id>),
// camera snapshots (/api/camera_proxy/<entity_id>), history (/api/history/period) and Assist
// (/api/conversation/process). The token goes in the Authorization header and nowhere else: it is
// never part of an error message or a log line.
import type { HassEntity } from 'home-assistant-js-websocket';
import { HaError } from './errors.ts';

export interface CameraSnapshot {
  contentType: string;
  data: Buffer;
}

export interface HistoryOptions {
  entityIds: readonly string[];
  start: Date;
  end?: Date;
  /** Middle entries carry only state and last_changed. */
  minimal?: boolean;
  noAttributes?: boolean;
  signal?: AbortSignal;
}

export type HistoryEntry = HassEntity | { state: string; last_changed: string; entity_id?: string };

export interface ConversationOptions {
  language?: string;
  conversationId?: string;
  agentId?: string;
  signal?: AbortSignal;
}

export interface ConversationResult {
  response: {
    speech?: { plain?: { speech: string } };
    response_type: string;
    language: string;
    data?: unknown;
  };
  conversation_id: string | null;
  continue_conversation?: boolean;
}

export interface AutomationConfig {
  id?: string;
  alias?: string;
  [key: string]: unknown;
}

export class HaRest {
  readonly #base: string;
  readonly #token: string;
  readonly #fetchImpl: typeof fetch;

  constructor(restBase: string, token: string, fetchImpl: typeof fetch = fetch) {
    this.#base = restBase;
    this.#token = token;
    this.#fetchImpl = fetchImpl;
  }

  /** The stored config of one automation; undefined when HA has none with that id. */
  async getAutomationConfig(id: string, signal?: AbortSignal): Promise<AutomationConfig | undefined> {
    const res = await this.#request('GET', `config/automation/config/${encodeURIComponent(id)}`, { signal, allow404: true });
    return res.status === 404 ? undefined : ((await res.json()) as AutomationConfig);
  }

  /** Creates or replaces an automation; HA validates it and reloads automations. */
  async saveAutomationConfig(id: string, config: AutomationConfig, signal?: AbortSignal): Promise<void> {
    await this.#request('POST', `config/automation/config/${encodeURIComponent(id)}`, { body: config, signal });
  }

  async deleteAutomationConfig(id: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.#request('DELETE', `config/automation/config/${encodeURIComponent(id)}`, { signal });
    } catch (err) {
      // HA answers 400 "Resource not found" (not 404) for an automation that is not there.
      if (err instanceof HaError && (err.status === 404 || (err.status === 400 && err.message.endsWith('Resource not found')))) {
        throw new HaError('not_found', `Home Assistant has no automation with id ${id}.`, err.status);
      }
      throw err;
    }
  }

  async cameraSnapshot(entityId: string, signal?: AbortSignal): Promise<CameraSnapshot> {
    const res = await this.#request('GET', `camera_proxy/${encodeURIComponent(entityId)}`, { signal, allow404: true });
    if (res.status === 404) throw new HaError('unknown_entity', `Home Assistant has no camera ${entityId}.`, 404);
    return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', data: Buffer.from(await res.arrayBuffer()) };
  }

  /** One list per entity, oldest first, starting with the state at `start`. */
  async history({ entityIds, start, end, minimal, noAttributes, signal }: HistoryOptions): Promise<HistoryEntry[][]> {
    if (entityIds.length === 0) return [];
    const q = new URLSearchParams({ filter_entity_id: entityIds.join(',') });
    if (end) q.set('end_time', end.toISOString());
    if (minimal) q.set('minimal_response', '');
    if (noAttributes) q.set('no_attributes', '');
    const res = await this.#request('GET', `history/period/${encodeURIComponent(start.toISOString())}?${q.toString()}`, { signal });
    return (await res.json()) as HistoryEntry[][];
  }

  /** Assist without an LLM: HA's own conversation agent handles the sentence. */
  async conversation(text: string, { language, conversationId, agentId, signal }: ConversationOptions = {}): Promise<ConversationResult> {
    const body: Record<string, string> = { text };
    if (language) body.language = language;
    if (conversationId) body.conversation_id = conversationId;
    if (agentId) body.agent_id = agentId;
    const res = await this.#request('POST', 'conversation/process', { body, signal });
    return (await res.json()) as ConversationResult;
  }

  async #request(method: string, path: string, opts: { body?: unknown; signal?: AbortSignal; allow404?: boolean }): Promise<Response> {
    const url = `${this.#base}/${path}`;
    let res: Response;
    try {
      res = await this.#fetchImpl(url, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      });
    } catch (err) {
      if (opts.signal?.aborted) throw new HaError('aborted', `${method} /api/${stripQuery(path)} was aborted.`);
      throw new HaError('cannot_connect', `Cannot reach Home Assistant for ${method} /api/${stripQuery(path)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.ok || (opts.allow404 && res.status === 404)) return res;
    const detail = await errorDetail(res);
    if (res.status === 401) throw new HaError('unauthorized', `Home Assistant refused the access token for ${method} /api/${stripQuery(path)} (401).`, 401);
    throw new HaError(res.status === 400 ? 'invalid_format' : 'http_error', `Home Assistant answered ${res.status} to ${method} /api/${stripQuery(path)}${detail ? `: ${detail}` : ''}`, res.status);
  }
}

function stripQuery(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

async function errorDetail(res: Response): Promise<string> {
  const text = (await res.text().catch(() => '')).slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: HA's bare "400: Bad Request" bodies
  }
  return text.trim();
}
