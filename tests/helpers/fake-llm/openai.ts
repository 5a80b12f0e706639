// The OpenAI Chat Completions API (POST …/chat/completions), also what NVIDIA NIM and Gemini's
// OpenAI-compatible endpoint speak: the chat.completion object, SSE chat.completion.chunk events
// (tool call arguments arriving in pieces, a final usage chunk with empty choices only when
// stream_options.include_usage is set, then `data: [DONE]`), and the {error:{message, type,
// param, code}} body. Shapes follow the openai SDK's ChatCompletion / ChatCompletionChunk types.
import type { ServerResponse } from 'node:http';
import { chunksOf, fakeId, usageOf, type FakeAnswer, type FakeError, type FakeRequest } from './script.ts';
import { bearer, sse, tick, type ProtocolHandler } from './wire.ts';

type Msg = { role?: unknown; tool_calls?: { id: string }[]; tool_call_id?: string };

function validate(body: FakeRequest['body']): string | undefined {
  if (typeof body.model !== 'string') return "you must provide a model parameter";
  const messages = body.messages as Msg[] | undefined;
  if (!Array.isArray(messages) || messages.length === 0) return "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.";
  if (body.max_tokens !== undefined && /^(o\d|gpt-5)/.test(body.model)) {
    return "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.";
  }
  let pending = new Set<string>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(String(m.role))) return `Invalid value: '${String(m.role)}'. Supported values are: 'system', 'assistant', 'user', 'tool', 'function', and 'developer'.`;
    if (m.role === 'tool') {
      if (!m.tool_call_id || !pending.has(m.tool_call_id)) return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`;
      pending.delete(m.tool_call_id);
      continue;
    }
    if (pending.size) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`;
    }
    pending = new Set(m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : []);
  }
  if (pending.size) {
    return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending].join(', ')}`;
  }
  return undefined;
}

function finishReason(answer: FakeAnswer): string {
  if (answer.stopReason === 'max_tokens') return 'length';
  if (answer.stopReason === 'tool_use' || (answer.toolCalls?.length && answer.stopReason !== 'end')) return 'tool_calls';
  return 'stop';
}

function wireUsage(answer: FakeAnswer) {
  const u = usageOf(answer);
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cachedInput, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function toolCalls(answer: FakeAnswer) {
  return (answer.toolCalls ?? []).map((c) => ({ id: c.id ?? fakeId('call_'), type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));
}

async function writeAnswer(res: ServerResponse, req: FakeRequest, answer: FakeAnswer): Promise<boolean> {
  const base = { id: fakeId('chatcmpl-'), created: Math.floor(Date.now() / 1000), model: answer.model ?? req.model, system_fingerprint: 'fp_fake', service_tier: 'default' };
  const calls = toolCalls(answer);
  if (!req.stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': fakeId('req_') });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer.text ?? (calls.length ? null : ''), refusal: null, annotations: [], ...(calls.length ? { tool_calls: calls } : {}) },
            logprobs: null,
            finish_reason: finishReason(answer),
          },
        ],
        usage: wireUsage(answer),
      }),
    );
    return true;
  }
  const includeUsage = (req.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const chunk = (choices: unknown[], extra: object = {}) =>
    sse(res, { ...base, object: 'chat.completion.chunk', choices, ...(includeUsage ? { usage: null } : {}), ...extra });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': fakeId('req_') });
  chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]);
  for (const [n, content] of chunksOf(answer).entries()) {
    if (answer.hangAfterChunks !== undefined && n >= answer.hangAfterChunks) return false;
    chunk([{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]);
    await tick();
  }
  if (answer.hangAfterChunks !== undefined && chunksOf(answer).length === 0) return false;
  calls.forEach((call, index) => {
    chunk([{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }, logprobs: null, finish_reason: null }]);
    const args = call.function.arguments;
    const half = Math.ceil(args.length / 2);
    for (const piece of [args.slice(0, half), args.slice(half)]) {
      chunk([{ index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] }, logprobs: null, finish_reason: null }]);
    }
  });
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason(answer) }]);
  if (includeUsage) sse(res, { ...base, object: 'chat.completion.chunk', choices: [], usage: wireUsage(answer) });
  sse(res, '[DONE]');
  res.end();
  return true;
}

const ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

function writeError(res: ServerResponse, _req: FakeRequest, { error }: FakeError): void {
  const known = ERROR_TYPES[error.status] ?? { type: error.status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': fakeId('req_') };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  res.writeHead(error.status, headers);
  const message = error.message ?? (error.status === 429 ? 'Rate limit reached for requests' : error.status >= 500 ? 'The server had an error while processing your request.' : 'Invalid request');
  res.end(JSON.stringify({ error: { message, type: error.type ?? known.type, param: null, code: known.code } }));
}

export const openaiProtocol: ProtocolHandler = {
  protocol: 'openai',
  // /v1/chat/completions (OpenAI, NIM) and /v1beta/openai/chat/completions (Gemini) alike.
  matches: (method, path) => method === 'POST' && path.endsWith('/chat/completions'),
  apiKey: bearer,
  validate,
  writeAnswer,
  writeError,
  // The real API masks most of the key; the fake echoes it whole, so a leak in our error path shows.
  unauthorized: (key) => ({
    error: { status: 401, message: `Incorrect API key provided: ${key ?? '(none)'}. You can find your API key at https://platform.openai.com/account/api-keys.` },
  }),
};
