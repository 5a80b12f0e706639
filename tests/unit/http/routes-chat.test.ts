import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEnvelope } from '../../../server/src/http/live-hub.ts';
import { ServiceError } from '../../../server/src/contract/service-error.ts';
import { buildTestApp, type TestApp } from '../../helpers/http-app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('POST /api/chat', () => {
  it('answers with the reply, the agent and the conversation id, and streams the turn to the live topic', async () => {
    t = await buildTestApp();
    const seen: LiveEnvelope[] = [];
    t.hub.on((e) => seen.push(e));
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'turn on the living room light', conversation_id: 'c1' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ reply: 'Done: the living room light is **on**.', agent: 'main', conversation_id: 'c1' });
    expect(new Set(seen.map((e) => e.topic))).toEqual(new Set(['chat/c1']));
    const turn = seen.flatMap((e) => (e.event.type === 'chat' && e.event.conversation_id === 'c1' ? [e.event.event] : []));
    expect(turn).toHaveLength(seen.length);
    expect(turn[0]).toMatchObject({ type: 'tool', ok: true, entityIds: ['light.living_room'] });
    const deltas = turn.flatMap((e) => (e.type === 'delta' ? [e.text] : []));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('Done: the living room light is **on**.');
    expect(turn.at(-1)).toMatchObject({ type: 'done', conversationId: 'c1', reply: 'Done: the living room light is **on**.', agent: 'main', route: 'actuate' });
  });

  it('starts a new conversation when none is given and keeps its history', async () => {
    t = await buildTestApp();
    const res = (await t.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'how warm is it?' } })).json<{ conversation_id: string }>();
    expect(res.conversation_id).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    const list = (await t.app.inject({ url: '/api/conversations' })).json<{ id: string; message_count: number }[]>();
    expect(list).toEqual([expect.objectContaining({ id: res.conversation_id, message_count: 2 })]);
    const conv = (await t.app.inject({ url: `/api/conversations/${res.conversation_id}` })).json<{ messages: { role: string }[] }>();
    expect(conv.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect((await t.app.inject({ url: '/api/conversations/unknown' })).statusCode).toBe(404);
  });

  it('publishes a proposal card into the conversation', async () => {
    t = await buildTestApp();
    const seen: LiveEnvelope[] = [];
    t.hub.on((e) => seen.push(e));
    await t.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'notify me when the door opens', conversation_id: 'c2' } });
    const proposal = seen.find((e) => e.event.type === 'chat' && e.event.event.type === 'proposal');
    expect(proposal?.event).toMatchObject({ conversation_id: 'c2', event: { plan: { status: 'pending', validation: { ok: true }, agents: [{ name: 'front-door-notifier' }] } } });
  });

  it('refuses blank, oversized and malformed messages', async () => {
    t = await buildTestApp();
    for (const payload of [{ message: '   ' }, { message: '' }, { message: 'x'.repeat(4001) }, { text: 'hi' }, { message: 'hi', conversation_id: '../etc' }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_request' } });
    }
    const huge = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'hi', pad: 'x'.repeat(40 * 1024) } });
    expect(huge.statusCode).toBe(413);
  });

  it('rate-limits chat turns per caller with a JSON 429', async () => {
    t = await buildTestApp({ limits: { chatPerMinute: 2 } });
    const post = () => t!.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'hello' } });
    expect((await post()).statusCode).toBe(200);
    expect((await post()).statusCode).toBe(200);
    const third = await post();
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Reading is not limited.
    expect((await t.app.inject({ url: '/api/agents' })).statusCode).toBe(200);
  });

  it('tells the stream and the caller when a turn fails, hiding internals', async () => {
    // A stream whose first step fails, as a provider error would.
    const failWith = (err: Error) => (): AsyncIterable<never> => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(err) }) });
    const failing = failWith(new Error('provider key sk-secret rejected'));
    const refusing = failWith(new ServiceError('unavailable', 'The daily budget is spent'));
    for (const [process, status, code] of [[failing, 500, 'internal_error'], [refusing, 503, 'unavailable']] as const) {
      t = await buildTestApp({ services: { chat: { process, conversations: async () => [], conversation: async () => undefined } } });
      const seen: LiveEnvelope[] = [];
      t.hub.on((e) => seen.push(e));
      const res = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { message: 'hi', conversation_id: 'c3' } });
      expect(res.statusCode).toBe(status);
      expect(res.body).not.toContain('sk-secret');
      expect(seen.map((e) => e.event)).toMatchObject([{ type: 'chat', conversation_id: 'c3', event: { type: 'error', code } }]);
      expect(JSON.stringify(seen)).not.toContain('sk-secret');
      await t.close();
      t = undefined;
    }
  });
});
