// A scripted fake LLM server on an ephemeral port, speaking the Anthropic, OpenAI and Ollama
// wire protocols (one server can serve all three). Real SDKs are pointed at it through their
// base-URL settings. It records every request, checks bodies the way the real APIs do (a
// malformed history gets the real 400), and answers from a queue of replies or a function.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicProtocol } from './anthropic.ts';
import { FakePromptCache, type PromptCacheOptions } from './cache.ts';
import { ollamaProtocol } from './ollama.ts';
import { openaiProtocol } from './openai.ts';
import { isError, isHang, type FakeAnswer, type FakeProtocol, type FakeReply, type FakeRequest, type ReplyFn } from './script.ts';
import type { ProtocolHandler } from './wire.ts';

const PROTOCOLS: readonly ProtocolHandler[] = [anthropicProtocol, openaiProtocol, ollamaProtocol];

export interface FakeLlmOptions {
  /** Which protocols this server speaks (default: all three). */
  protocols?: FakeProtocol[];
  /** When set, a request with another key (or none) gets the protocol's 401. */
  apiKey?: string;
  /** Reject bodies the real API would reject (default true). */
  strict?: boolean;
  /** Answers requests once the queue is empty. */
  respond?: ReplyFn;
  /**
   * Count each Anthropic and OpenAI prompt and simulate the provider's prompt cache (cache.ts):
   * the answer's input, cached and cache-write tokens then come from the request, not the script.
   */
  promptCache?: boolean | PromptCacheOptions;
}

export class FakeLlmServer {
  /** Every request received, in order. */
  readonly requests: FakeRequest[] = [];
  private readonly options: FakeLlmOptions;
  private readonly queue: FakeReply[] = [];
  private responder: ReplyFn | undefined;
  private readonly waiters: { n: number; resolve: (r: FakeRequest) => void }[] = [];
  private server: Server | undefined;
  private address = '';
  /** The simulated prompt caches (undefined unless started with `promptCache`). */
  readonly promptCache: FakePromptCache | undefined;

  constructor(options: FakeLlmOptions = {}) {
    this.options = options;
    this.responder = options.respond;
    this.promptCache = options.promptCache ? new FakePromptCache(options.promptCache === true ? {} : options.promptCache) : undefined;
  }

  /** http://127.0.0.1:port */
  get url(): string {
    if (!this.address) throw new Error('fake LLM server not started');
    return this.address;
  }

  /** For `new Anthropic({ baseURL })` / ANTHROPIC_BASE_URL (the SDK appends /v1/messages). */
  get anthropicBaseUrl(): string {
    return this.url;
  }

  /** For `new OpenAI({ baseURL })` / OPENAI_BASE_URL and NIM_BASE_URL. */
  get openaiBaseUrl(): string {
    return `${this.url}/v1`;
  }

  /** Gemini's OpenAI-compatible path, as in production. */
  get geminiBaseUrl(): string {
    return `${this.url}/v1beta/openai/`;
  }

  /** For `new Ollama({ host })` / OLLAMA_HOST. */
  get ollamaHost(): string {
    return this.url;
  }

  /** Replies for the next requests, in order. */
  enqueue(...replies: FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answers every request once the queue is empty. */
  respond(fn: ReplyFn | undefined): this {
    this.responder = fn;
    return this;
  }

  /** Replies still queued. */
  queued(): number {
    return this.queue.length;
  }

  /** Resolves with the n-th request (1-based) as soon as it has arrived. */
  waitForRequest(n = this.requests.length + 1): Promise<FakeRequest> {
    const seen = this.requests[n - 1];
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  lastRequest(): FakeRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error('the fake LLM server has received no request');
    return last;
  }

  /** Forgets recorded requests and queued replies. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res).catch((err: unknown) => this.crash(res, err)));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops listening and cuts every open connection (hanging ones included). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const method = req.method ?? 'GET';
    const text = await readBody(req);
    const allowed = this.options.protocols ?? PROTOCOLS.map((p) => p.protocol);
    const handler = PROTOCOLS.find((p) => allowed.includes(p.protocol) && p.matches(method, path));
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake LLM server: no ${allowed.join('/')} endpoint at ${method} ${path}` } }));
      return;
    }
    let body: FakeRequest['body'];
    try {
      body = text === '' ? {} : (JSON.parse(text) as FakeRequest['body']);
    } catch {
      handler.writeError(res, this.record(handler, req, method, path, {}, res), { error: { status: 400, message: 'request body is not valid JSON' } });
      return;
    }
    const request = this.record(handler, req, method, path, body, res);

    if (this.options.apiKey !== undefined && request.apiKey !== this.options.apiKey) {
      handler.writeError(res, request, handler.unauthorized(request.apiKey));
      return;
    }
    if (this.options.strict !== false) {
      const invalid = handler.validate(body);
      if (invalid) {
        handler.writeError(res, request, { error: { status: 400, message: invalid } });
        return;
      }
    }
    const reply =
      this.queue.shift() ??
      (this.responder ? await this.responder(request) : { error: { status: 400, message: 'fake LLM server: no scripted reply left for this request (enqueue one or set respond())' } });
    if (isError(reply)) handler.writeError(res, request, reply);
    else if (isHang(reply)) return;
    else await handler.writeAnswer(res, request, this.withCache(request, reply));
  }

  /** The answer with the prompt's own token counts, as the simulated cache saw them. */
  private withCache(request: FakeRequest, answer: FakeAnswer): FakeAnswer {
    const cache = this.promptCache;
    if (!cache || request.protocol === 'ollama') return answer;
    const counted = request.protocol === 'anthropic' ? cache.anthropic(request.body) : cache.openai(request.body);
    return { ...answer, usage: { ...answer.usage, ...counted } };
  }

  private record(handler: ProtocolHandler, req: IncomingMessage, method: string, path: string, body: FakeRequest['body'], res: ServerResponse): FakeRequest {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    let abortedByClient = false;
    const closed = new Promise<void>((resolve) =>
      res.once('close', () => {
        abortedByClient = !res.writableFinished;
        resolve();
      }),
    );
    const request: FakeRequest = {
      n: this.requests.length + 1,
      protocol: handler.protocol,
      method,
      path,
      headers,
      body,
      model: typeof body.model === 'string' ? body.model : '',
      // Ollama streams unless told `stream: false`; the others only when asked.
      stream: handler.protocol === 'ollama' ? body.stream !== false : body.stream === true,
      apiKey: handler.apiKey(headers),
      closed,
      get abortedByClient() {
        return abortedByClient;
      },
    };
    this.requests.push(request);
    for (const w of this.waiters.filter((w) => w.n === request.n)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(request);
    }
    return request;
  }

  private crash(res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `fake LLM server failed: ${err instanceof Error ? err.message : String(err)}` } }));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlmServer> {
  return new FakeLlmServer(options).start();
}

export const startFakeAnthropic = (options: Omit<FakeLlmOptions, 'protocols'> = {}) => startFakeLlm({ ...options, protocols: ['anthropic'] });
export const startFakeOpenAI = (options: Omit<FakeLlmOptions, 'protocols'> = {}) => startFakeLlm({ ...options, protocols: ['openai'] });
export const startFakeOllama = (options: Omit<FakeLlmOptions, 'protocols'> = {}) => startFakeLlm({ ...options, protocols: ['ollama'] });
