// The fake servers' wire formats, read raw (no SDK): later tests of every area lean on them, so
// their framing is pinned here against the documented protocols.
import { afterEach, describe, expect, it } from 'vitest';
import { reply, startFakeAnthropic, startFakeLlm, type FakeLlmServer } from '../../helpers/fake-llm/index.ts';

let fake: FakeLlmServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const sseData = (text: string) => text.split('\n\n').filter(Boolean).map((frame) => frame.split('\n').find((l) => l.startsWith('data: '))!.slice(6));

describe('fake LLM wire formats', () => {
  it('Anthropic SSE: the documented event sequence with cumulative usage', async () => {
    fake = await startFakeLlm();
    fake.enqueue(reply.text('Hi there', { usage: { input: 30, output: 4 } }));
    const res = await post(`${fake.url}/v1/messages`, { model: 'claude-sonnet-4-6', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const delta = JSON.parse(sseData(text)[6]) as { usage: { output_tokens: number; input_tokens: number } };
    expect(delta.usage).toMatchObject({ input_tokens: 30, output_tokens: 4 });
  });

  it('OpenAI SSE: usage chunk only with include_usage, then [DONE]', async () => {
    fake = await startFakeLlm();
    fake.respond(() => reply.text('Hello you', { usage: { input: 12, output: 2 } }));
    const ask = (stream_options?: object) =>
      post(`${fake!.openaiBaseUrl}/chat/completions`, { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }], ...(stream_options ? { stream_options } : {}) }).then((r) => r.text());

    const plain = sseData(await ask());
    expect(plain.at(-1)).toBe('[DONE]');
    expect(plain.some((d) => d.includes('"usage"'))).toBe(false);

    const withUsage = sseData(await ask({ include_usage: true }));
    expect(withUsage.at(-1)).toBe('[DONE]');
    const last = JSON.parse(withUsage.at(-2)!) as { choices: unknown[]; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 });
    const finish = JSON.parse(withUsage.at(-3)!) as { choices: { finish_reason: string }[]; usage: null };
    expect(finish.choices[0].finish_reason).toBe('stop');
    expect(finish.usage).toBeNull();
  });

  it('Ollama NDJSON: content lines, then done:true with the token counts', async () => {
    fake = await startFakeLlm();
    fake.enqueue(reply.text('Bonjour tout', { usage: { input: 26, output: 3 } }));
    const res = await post(`${fake.ollamaHost}/api/chat`, { model: 'llama3', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] });
    // Ollama streams unless told otherwise.
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { done: boolean; message: { content: string }; prompt_eval_count?: number; eval_count?: number });
    expect(lines.map((l) => l.message.content)).toEqual(['Bonjour', ' tout', '']);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 26, eval_count: 3 });
  });

  it('checks bodies like the real APIs and records every request', async () => {
    fake = await startFakeLlm();
    const res = await post(`${fake.url}/v1/messages`, { model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }, { 'x-api-key': 'k1' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('top-level `system` parameter');
    expect(fake.requests).toHaveLength(1);
    expect(fake.lastRequest()).toMatchObject({ protocol: 'anthropic', model: 'm', apiKey: 'k1', stream: false });
    expect(fake.queued()).toBe(0);
  });

  it('answers 401 to a wrong key, 404 outside its protocols, and says when the script ran out', async () => {
    fake = await startFakeAnthropic({ apiKey: 'right' });
    const wrong = await post(`${fake.url}/v1/messages`, { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-api-key': 'wrong' });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${fake.url}/api/chat`, { method: 'POST', body: '{}' })).status).toBe(404);
    const empty = await post(`${fake.url}/v1/messages`, { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-api-key': 'right' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(await empty.json())).toContain('no scripted reply left');
  });
});
