// What a fake LLM server answers, written once for all three protocols: a scripted reply is
// rendered in the Anthropic, OpenAI or Ollama wire format by the protocol that received the
// request. See README.md beside this file.

export interface FakeToolCall {
  /** Defaults to a generated id (toolu_… / call_…); Ollama sends none unless given. */
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface FakeUsage {
  input?: number;
  output?: number;
  /** Prompt-cache reads (Anthropic cache_read_input_tokens, OpenAI cached_tokens). */
  cachedInput?: number;
  /** Prompt-cache writes (Anthropic cache_creation_input_tokens). */
  cacheWrite?: number;
}

export interface FakeAnswer {
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Default: 10 input, 5 output tokens. */
  usage?: FakeUsage;
  /** The model named in the response; default: the one requested. */
  model?: string;
  stopReason?: 'end' | 'tool_use' | 'max_tokens';
  /** How the text is split into stream deltas; default: word by word. */
  chunks?: string[];
  /** Streaming only: send this many text deltas, then hang (for mid-stream abort/timeout tests). */
  hangAfterChunks?: number;
}

export interface FakeError {
  error: {
    status: number;
    message?: string;
    /** Protocol error type (e.g. Anthropic 'overloaded_error'); derived from the status by default. */
    type?: string;
    /** Seconds, sent as the retry-after header. */
    retryAfter?: number;
  };
}

/** Accept the request and never answer (until the client gives up or the server closes). */
export interface FakeHang {
  hang: true;
}

export type FakeReply = FakeAnswer | FakeError | FakeHang;

export type FakeProtocol = 'anthropic' | 'openai' | 'ollama';

export interface FakeRequest {
  /** 1-based arrival order. */
  n: number;
  protocol: FakeProtocol;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: Record<string, unknown> & { model?: string; messages?: unknown[]; stream?: boolean; tools?: unknown[] };
  model: string;
  stream: boolean;
  /** x-api-key (Anthropic) or the Bearer token (all). */
  apiKey: string | undefined;
  /** Resolves when the client closed the connection or the response ended. */
  closed: Promise<void>;
  /** True once the client went away before the response was complete (abort, timeout). */
  readonly abortedByClient: boolean;
}

export type ReplyFn = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export function isError(reply: FakeReply): reply is FakeError {
  return 'error' in reply;
}

export function isHang(reply: FakeReply): reply is FakeHang {
  return 'hang' in reply;
}

/** Builders for readable scripts: `reply.text('hi')`, `reply.tool('get_state', {entity_id})`, `reply.error(429, {retryAfter: 2})`. */
export const reply = {
  text(text: string, extra: Omit<FakeAnswer, 'text'> = {}): FakeAnswer {
    return { text, ...extra };
  },
  tool(name: string, args: Record<string, unknown>, extra: Omit<FakeAnswer, 'toolCalls'> = {}): FakeAnswer {
    return { toolCalls: [{ name, arguments: args }], ...extra };
  },
  error(status: number, extra: Omit<FakeError['error'], 'status'> = {}): FakeError {
    return { error: { status, ...extra } };
  },
  hang(): FakeHang {
    return { hang: true };
  },
};

export const DEFAULT_USAGE = { input: 10, output: 5, cachedInput: 0, cacheWrite: 0 } as const;

export function usageOf(answer: FakeAnswer): Required<FakeUsage> {
  return { ...DEFAULT_USAGE, ...answer.usage };
}

/** Text deltas of a streamed answer. */
export function chunksOf(answer: FakeAnswer): string[] {
  if (answer.chunks) return answer.chunks;
  const text = answer.text ?? '';
  return text === '' ? [] : (text.match(/\s*\S+|\s+$/g) ?? [text]);
}

let idCounter = 0;
export function fakeId(prefix: string): string {
  idCounter += 1;
  return `${prefix}${idCounter.toString(36).padStart(6, '0')}`;
}

/**
 * The system prompt a request carried, as text: Anthropic's `system` may be a string or text
 * blocks (with cache marks); OpenAI's is the first message's content when its role is system.
 */
export function systemText(request: Pick<FakeRequest, 'body'>): string {
  const s = request.body.system;
  if (typeof s === 'string') return s;
  if (Array.isArray(s)) return (s as { text?: string }[]).map((b) => b.text ?? '').join('');
  const first = (request.body.messages ?? [])[0] as { role?: string; content?: unknown } | undefined;
  return first?.role === 'system' && typeof first.content === 'string' ? first.content : '';
}

function newestUserTexts(request: Pick<FakeRequest, 'body'>): string[] {
  const messages = (request.body.messages ?? []) as { role?: string; content?: unknown }[];
  for (const m of [...messages].reverse()) {
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return [m.content];
    const texts = Array.isArray(m.content) ? (m.content as { type?: string; text?: string }[]).filter((p) => p.type === 'text').map((p) => p.text ?? '') : [];
    // An Anthropic user turn may hold only tool results: the words are in an earlier one.
    if (texts.length) return texts;
  }
  return [];
}

/**
 * What the person said in the newest user message. Main sends the turn's context (the home map
 * for this request, the language) as a text block in front of the words (never in the system
 * prompt, which stays cacheable): with two or more text blocks, the first is that context.
 */
export function userWords(request: Pick<FakeRequest, 'body'>): string {
  const texts = newestUserTexts(request);
  return (texts.length > 1 ? texts.slice(1) : texts).join('');
}

/** The turn's context main sent in front of the newest user message ('' when none). */
export function turnContext(request: Pick<FakeRequest, 'body'>): string {
  const texts = newestUserTexts(request);
  return texts.length > 1 ? (texts[0] ?? '') : '';
}
