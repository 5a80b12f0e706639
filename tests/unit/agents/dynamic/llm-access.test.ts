// agent.llm.chat requests as provider-neutral messages (system messages into the system prompt,
// images attached to the last user turn as vision parts) and code pulled out of a fix reply.
import { expect, test } from 'vitest';
import { extractCode, toMessages } from '../../../../server/src/agents/dynamic/llm-access.ts';
import { TaskFailed, unwrapTask, wrapTask } from '../../../../server/src/agents/dynamic/agent-task.ts';

test('a prompt with images becomes one user message with text and image parts', () => {
  expect(toMessages({ prompt: 'Who is there?', system: 'Be brief.', images: [{ contentType: 'image/jpg', dataBase64: 'AAAA' }] })).toEqual({
    system: 'Be brief.',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Who is there?' }, { type: 'image', mediaType: 'image/jpeg', data: 'AAAA' }] }],
  });
});

test('system-role messages join the system prompt; the conversation must end with the user', () => {
  expect(toMessages({ messages: [{ role: 'system', content: 'A' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'and?' }], system: 'S' })).toEqual({
    system: 'S\n\nA',
    messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'and?' }],
  });
  expect(() => toMessages({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'x' }] })).toThrow('must end with a user message');
  expect(() => toMessages({ prompt: 'x', images: [{ contentType: 'image/tiff', dataBase64: 'AA' }] })).toThrow('image/tiff images are not supported');
});

test('the fixed code is the first fenced block of the reply, or the reply itself', () => {
  expect(extractCode('Fixed:\n```javascript\nasync function setup() {}\n```\nDone.')).toBe('async function setup() {}');
  expect(extractCode('async function setup() {}')).toBe('async function setup() {}');
  expect(extractCode('```\n\n```')).toBeUndefined();
});

test('the task envelope carries hops and the waiting chain, and plain payloads pass through', () => {
  expect(unwrapTask(wrapTask({ city: 'Athens' }, 2, ['a', 'b']))).toEqual({ payload: { city: 'Athens' }, hops: 2, chain: ['a', 'b'] });
  expect(unwrapTask('hello')).toEqual({ payload: 'hello', hops: 0, chain: [] });
  // A look-alike from outside (JSON over MQTT) is only a payload.
  expect(unwrapTask({ hops: 9, chain: ['x'], payload: 1 }).hops).toBe(0);
  expect(JSON.parse(JSON.stringify(new TaskFailed('no', 'llm')))).toEqual({ error: 'no', phase: 'llm' });
});
