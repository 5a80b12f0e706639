// The Anthropic Messages API (POST /v1/messages) as the fake speaks it: the JSON Message object,
// the SSE event sequence (message_start, content_block_start/delta/stop, ping, message_delta
// with cumulative usage, message_stop) and the error body {type:'error', error:{type, message}}.
// Shapes follow @anthropic-ai/sdk's Message / RawMessageStreamEvent types.
import type { ServerResponse } from 'node:http';
import { chunksOf, fakeId, usageOf, type FakeAnswer, type FakeError, type FakeRequest } from './script.ts';
import { bearer, sse, tick, type ProtocolHandler } from './wire.ts';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

type Block = { type: string; text?: string; id?: string; tool_use_id?: string };
type Msg = { role?: unknown; content?: unknown };

/** The checks the real API makes that a broken history would fail (400 invalid_request_error). */
function validate(body: FakeRequest['body']): string | undefined {
  if (typeof body.model !== 'string') return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  const messages = body.messages as Msg[] | undefined;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required';
  const blocks = (m: Msg): Block[] => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : Array.isArray(m.content) ? (m.content as Block[]) : []);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.role !== 'user' && m.role !== 'assistant') {
      return `messages.${i}: Unexpected role "${String(m.role)}". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`;
    }
    if (i === 0 && m.role !== 'user') return 'messages: first message must use the "user" role';
    const content = blocks(m);
    const last = i === messages.length - 1;
    if (content.length === 0 && !(last && m.role === 'assistant')) return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
    if (content.some((b) => b.type === 'text' && (b.text ?? '') === '')) return 'messages: text content blocks must be non-empty';
    const uses = content.filter((b) => b.type === 'tool_use').map((b) => b.id!);
    if (uses.length) {
      const next = messages[i + 1];
      const answered = new Set(next && next.role === 'user' ? blocks(next).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id) : []);
      const missing = uses.filter((id) => !answered.has(id));
      if (missing.length) {
        return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
    }
    const results = content.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id!);
    if (results.length) {
      const prev = messages[i - 1];
      const asked = new Set(prev ? blocks(prev).filter((b) => b.type === 'tool_use').map((b) => b.id) : []);
      const unexpected = results.filter((id) => !asked.has(id));
      if (unexpected.length) {
        return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
    }
  }
  return undefined;
}

function wireUsage(answer: FakeAnswer) {
  const u = usageOf(answer);
  return {
    // Anthropic's input_tokens exclude the cached and cache-written parts of the prompt.
    input_tokens: Math.max(0, u.input - u.cachedInput - u.cacheWrite),
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cachedInput,
    output_tokens: u.output,
  };
}

function stopReason(answer: FakeAnswer): string {
  if (answer.stopReason === 'max_tokens') return 'max_tokens';
  if (answer.stopReason === 'tool_use' || (answer.toolCalls?.length && answer.stopReason !== 'end')) return 'tool_use';
  return 'end_turn';
}

function toolBlocks(answer: FakeAnswer) {
  return (answer.toolCalls ?? []).map((c) => ({ type: 'tool_use' as const, id: c.id ?? fakeId('toolu_'), name: c.name, input: c.arguments }));
}

async function writeAnswer(res: ServerResponse, req: FakeRequest, answer: FakeAnswer): Promise<boolean> {
  const model = answer.model ?? req.model;
  const id = fakeId('msg_');
  const usage = wireUsage(answer);
  if (!req.stream) {
    const content = [...(answer.text ? [{ type: 'text', text: answer.text }] : []), ...toolBlocks(answer)];
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': fakeId('req_') });
    res.end(JSON.stringify({ id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason(answer), stop_sequence: null, usage }));
    return true;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': fakeId('req_') });
  const send = (event: string, data: unknown) => sse(res, data, event);
  send('message_start', {
    type: 'message_start',
    message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
  });
  send('ping', { type: 'ping' });
  let index = 0;
  const chunks = chunksOf(answer);
  if (chunks.length) {
    send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    for (const [n, text] of chunks.entries()) {
      if (answer.hangAfterChunks !== undefined && n >= answer.hangAfterChunks) return false;
      send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
      await tick();
    }
    send('content_block_stop', { type: 'content_block_stop', index });
    index++;
  } else if (answer.hangAfterChunks !== undefined) return false;
  for (const block of toolBlocks(answer)) {
    send('content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } });
    const json = JSON.stringify(block.input);
    const half = Math.ceil(json.length / 2);
    for (const partial_json of [json.slice(0, half), json.slice(half)]) {
      send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
    }
    send('content_block_stop', { type: 'content_block_stop', index });
    index++;
  }
  send('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason(answer), stop_sequence: null }, usage });
  send('message_stop', { type: 'message_stop' });
  res.end();
  return true;
}

function writeError(res: ServerResponse, _req: FakeRequest, { error }: FakeError): void {
  const type = error.type ?? ERROR_TYPES[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': fakeId('req_') };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  res.writeHead(error.status, headers);
  res.end(JSON.stringify({ type: 'error', error: { type, message: error.message ?? defaultMessage(error.status) } }));
}

function defaultMessage(status: number): string {
  if (status === 401) return 'invalid x-api-key';
  if (status === 429) return 'Number of request tokens has exceeded your per-minute rate limit';
  if (status === 529) return 'Overloaded';
  if (status >= 500) return 'Internal server error';
  return 'Invalid request';
}

// The API takes x-api-key; SDK 1.x sends the key as a Bearer token, which it also accepts.
function apiKey(headers: Record<string, string>): string | undefined {
  return headers['x-api-key'] ?? bearer(headers);
}

export const anthropicProtocol: ProtocolHandler = {
  protocol: 'anthropic',
  matches: (method, path) => method === 'POST' && path === '/v1/messages',
  apiKey,
  validate,
  writeAnswer,
  writeError,
  unauthorized: () => ({ error: { status: 401, message: 'invalid x-api-key' } }),
};
