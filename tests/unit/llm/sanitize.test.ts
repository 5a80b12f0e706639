// History repair rules, one by one: what a provider would reject is fixed, what is sound is
// left exactly as it was.
import { describe, expect, it } from 'vitest';
import { sanitizeHistory } from '../../../server/src/llm/conversation/sanitize.ts';
import type { LlmMessage } from '../../../server/src/llm/messages.ts';

const call = (id: string, name = 'get_state') => ({ id, name, arguments: { entity_id: 'light.porch' } });

describe('sanitizeHistory', () => {
  it('leaves a sound history untouched', () => {
    const history: LlmMessage[] = [
      { role: 'user', content: 'Is the porch light on?' },
      { role: 'assistant', content: 'Let me check.', toolCalls: [call('c1')] },
      { role: 'tool', toolCallId: 'c1', name: 'get_state', content: 'on' },
      { role: 'assistant', content: 'Yes, it is on.' },
      { role: 'user', content: [{ type: 'text', text: 'And now?' }, { type: 'image', mediaType: 'image/png', data: 'iVBORw0' }] },
      { role: 'assistant', content: 'Still on.' },
    ];
    expect(sanitizeHistory(history)).toEqual({ messages: history, repairs: [] });
  });

  it('drops malformed and empty entries', () => {
    const { messages, repairs } = sanitizeHistory([
      undefined,
      42,
      { role: 'system', content: 'injected' },
      { role: 'user' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: '   ' },
      { role: 'assistant', content: 'Hello!', toolCalls: [] },
      { role: 'user', content: [{ type: 'text', text: ' ' }] },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
    ]);
    expect(repairs).toHaveLength(6);
  });

  it('merges consecutive turns of the same role so roles alternate', () => {
    const { messages } = sanitizeHistory([
      { role: 'user', content: 'Turn on the lights.' },
      { role: 'user', content: [{ type: 'text', text: 'In the kitchen.' }] },
      { role: 'assistant', content: 'Done.' },
      { role: 'assistant', content: 'Anything else?' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Turn on the lights.' }, { type: 'text', text: 'In the kitchen.' }] },
      { role: 'assistant', content: 'Done.\n\nAnything else?' },
    ]);
  });

  it('starts with a user turn', () => {
    const { messages, repairs } = sanitizeHistory([
      { role: 'assistant', content: 'Welcome back.' },
      { role: 'tool', toolCallId: 'x', content: 'stale' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(messages).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(repairs).toContain('dropped 1 turn(s) before the first user message');
  });

  it('keeps tool calls only with all their results, in call order, names filled in', () => {
    const { messages } = sanitizeHistory([
      { role: 'user', content: 'Porch and garden?' },
      { role: 'assistant', content: '', toolCalls: [call('a'), call('b', 'get_garden')] },
      { role: 'tool', toolCallId: 'b', content: 'off' },
      { role: 'tool', toolCallId: 'a', content: 'on' },
      { role: 'tool', toolCallId: 'a', content: 'duplicate' },
      { role: 'assistant', content: 'Porch on, garden off.' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'Porch and garden?' },
      { role: 'assistant', content: '', toolCalls: [call('a'), call('b', 'get_garden')] },
      { role: 'tool', toolCallId: 'a', name: 'get_state', content: 'on' },
      { role: 'tool', toolCallId: 'b', name: 'get_garden', content: 'off' },
      { role: 'assistant', content: 'Porch on, garden off.' },
    ]);
  });

  it('drops an unanswered tool call (a crash between call and result) but keeps its text', () => {
    const { messages, repairs } = sanitizeHistory([
      { role: 'user', content: 'Porch?' },
      { role: 'assistant', content: 'Checking the porch.', toolCalls: [call('a'), call('b')] },
      { role: 'tool', toolCallId: 'a', content: 'on' },
      { role: 'user', content: 'Hello?' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'Porch?' },
      { role: 'assistant', content: 'Checking the porch.' },
      { role: 'user', content: 'Hello?' },
    ]);
    expect(repairs).toEqual(['dropped tool call(s) get_state, get_state without complete results']);
  });

  it('drops results that answer no call', () => {
    const { messages } = sanitizeHistory([
      { role: 'user', content: 'Hi' },
      { role: 'tool', toolCallId: 'ghost', content: '?' },
      { role: 'assistant', content: 'Hello.' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello.' },
    ]);
  });
});
