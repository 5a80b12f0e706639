// Every provider through its real SDK against the fake server: blocking and streaming answers,
// the system prompt where each API expects it, usage and cost in the ledger, tool calls and the
// round trip of their results, and images for the vision-capable adapters.
import { afterEach, describe, expect, it } from 'vitest';
import type { LlmMessage, ToolDefinition } from '../../../server/src/llm/messages.ts';
import type { LlmStreamEvent } from '../../../server/src/llm/service.ts';
import type { ProviderName } from '../../../server/src/llm/types.ts';
import { FAKE_KEYS, reply } from '../../helpers/fake-llm/index.ts';
import { drain, harness, type Harness } from './harness.ts';

const SYSTEM = 'You are Wactorz, a home assistant.';
const QUESTION: LlmMessage[] = [{ role: 'user', content: 'What is the living room temperature?' }];
const GET_STATE: ToolDefinition = {
  name: 'get_state',
  description: 'Reads the state of a Home Assistant entity.',
  parameters: { type: 'object', properties: { entity_id: { type: 'string' } }, required: ['entity_id'] },
};

interface Case {
  provider: ProviderName;
  model: string;
  path: string;
  /** USD for 1200 input + 40 output tokens on the default model. */
  cost: number;
  key: (h: Harness) => string | undefined;
}

const CASES: Case[] = [
  { provider: 'anthropic', model: 'claude-sonnet-4-6', path: '/v1/messages', cost: 0.0042, key: (h) => h.fake.lastRequest().apiKey },
  { provider: 'openai', model: 'gpt-4o', path: '/v1/chat/completions', cost: 0.0034, key: (h) => h.fake.lastRequest().apiKey },
  { provider: 'ollama', model: 'llama3', path: '/api/chat', cost: 0, key: () => undefined },
  { provider: 'nim', model: 'meta/llama-3.3-70b-instruct', path: '/v1/chat/completions', cost: 0, key: (h) => h.fake.lastRequest().apiKey },
  { provider: 'gemini', model: 'gemini-2.5-flash', path: '/v1beta/openai/chat/completions', cost: 0.00046, key: (h) => h.fake.lastRequest().apiKey },
];

const EXPECTED_KEY: Record<ProviderName, string | undefined> = { ...FAKE_KEYS, ollama: undefined };

/** Where the system prompt went, per protocol. */
function systemOf(provider: ProviderName, body: Record<string, unknown>): unknown {
  if (provider === 'anthropic') return body.system;
  const first = (body.messages as { role: string; content: unknown }[])[0];
  return first.role === 'system' ? first.content : undefined;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(CASES)('$provider', ({ provider, model, path, cost, key }) => {
  it('answers a blocking call and bills it in the ledger', async () => {
    h = await harness({ provider });
    h.fake.enqueue(reply.text('It is 21.5 °C in the living room.', { usage: { input: 1200, output: 40 } }));

    const result = await h.llm.complete({ callSite: 'conversation', agent: 'main', system: SYSTEM, messages: QUESTION });

    expect(result).toMatchObject({ text: 'It is 21.5 °C in the living room.', provider, model, stopReason: 'end', fallback: false, costUsd: cost });
    expect(result.usage).toMatchObject({ inputTokens: 1200, outputTokens: 40 });
    const req = h.fake.lastRequest();
    expect(req.path).toBe(path);
    expect(req.model).toBe(model);
    expect(req.stream).toBe(false);
    expect(systemOf(provider, req.body)).toBe(SYSTEM);
    expect(key(h)).toBe(EXPECTED_KEY[provider]);
    const report = h.llm.ledger.report({ period: 'day', groupBy: 'agent' });
    expect(report.totals).toMatchObject({ calls: 1, inputTokens: 1200, outputTokens: 40, costUsd: cost, unpricedCalls: 0 });
    expect(report.groups).toEqual([expect.objectContaining({ key: 'main', calls: 1 })]);
  });

  it('streams text deltas and ends with the usage', async () => {
    h = await harness({ provider });
    h.fake.enqueue(reply.text('Lights are off in the kitchen.', { usage: { input: 1200, output: 40 } }));

    const events = await drain<LlmStreamEvent>(h.llm.stream({ callSite: 'conversation', system: SYSTEM, messages: QUESTION }));

    const texts = events.filter((e) => e.type === 'text').map((e) => e.text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe('Lights are off in the kitchen.');
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    expect(done.result).toMatchObject({ text: 'Lights are off in the kitchen.', provider, model, costUsd: cost });
    expect(done.result.usage).toMatchObject({ inputTokens: 1200, outputTokens: 40 });
    const req = h.fake.lastRequest();
    expect(req.stream).toBe(true);
    expect(systemOf(provider, req.body)).toBe(SYSTEM);
    if (provider !== 'anthropic' && provider !== 'ollama') expect(req.body.stream_options).toEqual({ include_usage: true });
    expect(h.llm.ledger.report({ period: 'all' }).totals).toMatchObject({ calls: 1, outputTokens: 40 });
  });

  it.each([false, true])('calls a tool and sends its result back (streaming: %s)', async (streaming) => {
    h = await harness({ provider });
    h.fake.enqueue(reply.tool('get_state', { entity_id: 'sensor.living_room_temperature' }), reply.text('It is 21.5 °C.'));
    const request = { callSite: 'conversation' as const, system: SYSTEM, messages: QUESTION, tools: [GET_STATE] };

    const first = streaming
      ? (await drain<LlmStreamEvent>(h.llm.stream(request))).flatMap((e) => (e.type === 'done' ? [e.result] : []))[0]
      : await h.llm.complete(request);

    expect(first.stopReason).toBe('tool_use');
    expect(first.toolCalls).toHaveLength(1);
    const call = first.toolCalls[0];
    expect(call).toMatchObject({ name: 'get_state', arguments: { entity_id: 'sensor.living_room_temperature' } });
    expect(call.id).not.toBe('');
    const sentTools = JSON.stringify(h.fake.lastRequest().body.tools);
    expect(sentTools).toContain('get_state');
    expect(sentTools).toContain('entity_id');

    const followUp: LlmMessage[] = [
      ...QUESTION,
      { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: call.id, name: 'get_state', content: '21.5' },
    ];
    const second = await h.llm.complete({ ...request, messages: followUp });

    // The fake rejects (400) a result that does not answer the call, as the real APIs do.
    expect(second.text).toBe('It is 21.5 °C.');
    const sent = JSON.stringify(h.fake.lastRequest().body.messages);
    if (provider === 'anthropic') expect(sent).toContain(`"tool_result","tool_use_id":"${call.id}"`);
    else if (provider === 'ollama') expect(sent).toContain('"role":"tool","content":"21.5","tool_name":"get_state"');
    else expect(sent).toContain(`"role":"tool","tool_call_id":"${call.id}"`);
  });
});

describe('vision input', () => {
  const photo = Buffer.from('fake jpeg bytes').toString('base64');
  const withImage: LlmMessage[] = [
    { role: 'user', content: [{ type: 'text', text: 'Is anyone at the door?' }, { type: 'image', mediaType: 'image/jpeg', data: photo }] },
  ];

  it.each<[ProviderName, (body: Record<string, unknown>) => unknown]>([
    ['anthropic', (b) => (b.messages as { content: unknown[] }[])[0].content[1]],
    ['openai', (b) => (b.messages as { content: unknown[] }[])[0].content[1]],
    ['ollama', (b) => (b.messages as { images: unknown }[])[0].images],
  ])('%s receives the image in its own format', async (provider, imageOf) => {
    h = await harness({ provider });
    h.fake.enqueue(reply.text('A courier is at the door.'));

    const result = await h.llm.complete({ callSite: 'agent', agent: 'camera-watcher', messages: withImage });

    expect(result.text).toBe('A courier is at the door.');
    const expected = {
      anthropic: { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: photo } },
      openai: { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${photo}` } },
      ollama: [photo],
    }[provider as 'anthropic' | 'openai' | 'ollama'];
    expect(imageOf(h.fake.lastRequest().body)).toEqual(expected);
  });
});

describe('model choice per call site', () => {
  it('uses the cheap model for classifier, facts and summaries, the main one elsewhere', async () => {
    h = await harness({ provider: 'openai', config: { model: 'gpt-4o', cheapModel: 'gpt-4o-mini' } });
    h.fake.respond(() => reply.text('ok'));
    for (const callSite of ['conversation', 'planner', 'agent', 'classifier', 'facts', 'summary'] as const) {
      await h.llm.complete({ callSite, messages: QUESTION });
    }
    expect(h.fake.requests.map((r) => r.model)).toEqual(['gpt-4o', 'gpt-4o', 'gpt-4o', 'gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini']);
  });

  it('routes a provider:model override to that provider', async () => {
    h = await harness({ provider: 'anthropic', config: { cheapModel: 'ollama:llama3.2:3b' } });
    h.fake.respond(() => reply.text('OTHER'));
    const result = await h.llm.complete({ callSite: 'classifier', messages: QUESTION });
    expect(result).toMatchObject({ provider: 'ollama', model: 'llama3.2:3b', costUsd: 0 });
    expect(h.fake.lastRequest()).toMatchObject({ protocol: 'ollama', model: 'llama3.2:3b' });
  });

  it("records Gemini's models/… answer under the plain model name", async () => {
    h = await harness({ provider: 'gemini' });
    h.fake.enqueue(reply.text('ok', { model: 'models/gemini-2.5-flash', usage: { input: 1000, output: 0 } }));
    const result = await h.llm.complete({ callSite: 'conversation', messages: QUESTION });
    expect(result).toMatchObject({ model: 'gemini-2.5-flash', costUsd: 0.0003 });
    expect(h.llm.ledger.report({ period: 'all', groupBy: 'model' }).groups[0]?.key).toBe('gemini:gemini-2.5-flash');
  });

  it('passes maxTokens under the parameter name each API accepts', async () => {
    h = await harness({ provider: 'openai', config: { model: 'gpt-5.4' } });
    h.fake.respond(() => reply.text('ok'));
    await h.llm.complete({ callSite: 'conversation', messages: QUESTION, maxTokens: 300 });
    expect(h.fake.lastRequest().body).toMatchObject({ max_completion_tokens: 300 });
    expect(h.fake.lastRequest().body.max_tokens).toBeUndefined();
  });
});
