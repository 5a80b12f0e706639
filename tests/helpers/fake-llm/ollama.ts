// Ollama's native chat API (POST /api/chat): one JSON object, or NDJSON lines each carrying a
// piece of message.content (tool calls whole, in one line) and a final line with done:true,
// done_reason, prompt_eval_count and eval_count; errors are {error: "..."}. Shapes follow the
// ollama package's ChatResponse type.
import type { ServerResponse } from 'node:http';
import { chunksOf, usageOf, type FakeAnswer, type FakeError, type FakeRequest } from './script.ts';
import { bearer, tick, type ProtocolHandler } from './wire.ts';

type Msg = { role?: unknown; content?: unknown; images?: unknown };

function validate(body: FakeRequest['body']): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model is required';
  const messages = (body.messages ?? []) as Msg[];
  if (!Array.isArray(messages)) return 'invalid messages';
  for (const m of messages) {
    if (!['system', 'user', 'assistant', 'tool'].includes(String(m.role))) return `invalid role: ${String(m.role)}`;
    if (m.content !== undefined && typeof m.content !== 'string') return 'json: cannot unmarshal array into Go struct field Message.messages.content of type string';
    if (m.images !== undefined && (!Array.isArray(m.images) || m.images.some((i) => typeof i !== 'string'))) return 'invalid image data';
  }
  return undefined;
}

function toolCalls(answer: FakeAnswer) {
  return (answer.toolCalls ?? []).map((c) => ({ ...(c.id ? { id: c.id } : {}), function: { name: c.name, arguments: c.arguments } }));
}

function finalFields(answer: FakeAnswer) {
  const u = usageOf(answer);
  return {
    done: true,
    done_reason: answer.stopReason === 'max_tokens' ? 'length' : 'stop',
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: u.input,
    prompt_eval_duration: 200_000,
    eval_count: u.output,
    eval_duration: 700_000,
  };
}

async function writeAnswer(res: ServerResponse, req: FakeRequest, answer: FakeAnswer): Promise<boolean> {
  const model = answer.model ?? req.model;
  const created_at = new Date().toISOString();
  const calls = toolCalls(answer);
  if (!req.stream) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ model, created_at, message: { role: 'assistant', content: answer.text ?? '', ...(calls.length ? { tool_calls: calls } : {}) }, ...finalFields(answer) }));
    return true;
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (o: unknown) => res.write(`${JSON.stringify(o)}\n`);
  for (const [n, content] of chunksOf(answer).entries()) {
    if (answer.hangAfterChunks !== undefined && n >= answer.hangAfterChunks) return false;
    line({ model, created_at, message: { role: 'assistant', content }, done: false });
    await tick();
  }
  if (answer.hangAfterChunks !== undefined && chunksOf(answer).length === 0) return false;
  if (calls.length) line({ model, created_at, message: { role: 'assistant', content: '', tool_calls: calls }, done: false });
  line({ model, created_at, message: { role: 'assistant', content: '' }, ...finalFields(answer) });
  res.end();
  return true;
}

function writeError(res: ServerResponse, req: FakeRequest, { error }: FakeError): void {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  res.writeHead(error.status, headers);
  const message = error.message ?? (error.status === 404 ? `model "${req.model}" not found, try pulling it first` : error.status === 401 ? 'unauthorized' : 'server busy, please try again.');
  res.end(JSON.stringify({ error: message }));
}

export const ollamaProtocol: ProtocolHandler = {
  protocol: 'ollama',
  matches: (method, path) => method === 'POST' && path === '/api/chat',
  apiKey: bearer,
  validate,
  writeAnswer,
  writeError,
  unauthorized: () => ({ error: { status: 401, message: 'unauthorized' } }),
};
