// The cost a call reserves before it is made: derived from the request (prompt, images, tools,
// output allowance) and priced with the price table, erring high rather than low.
import { describe, expect, it } from 'vitest';
import { estimateCostUsd, estimateInputTokens, estimateTextTokens, estimateUsage, IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS } from '../../../server/src/llm/estimate.ts';
import { priceFor } from '../../../server/src/llm/pricing.ts';
import { DEFAULT_MAX_TOKENS } from '../../../server/src/llm/types.ts';

describe('text tokens', () => {
  it('counts English prose at about four characters a token', () => {
    const prose = 'The living room is warm and the kitchen lights are on since this morning';
    expect(estimateTextTokens(prose)).toBe(Math.ceil(prose.length / 4));
  });

  it('counts JSON readings, whose digits and punctuation split finely, higher than chars/4', () => {
    const json = JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ t: 1747130000 + i * 60, temp: 21.37 + i / 10 })));
    // A BPE tokenizer gives this about one token per two characters; chars/4 would halve it.
    expect(estimateTextTokens(json)).toBeGreaterThan(json.length / 2.5);
  });

  it('counts short words and numbers, each with its own space token, higher than chars/4', () => {
    const readings = Array.from({ length: 24 }, (_, h) => `hour ${h} used ${(0.4 + (h % 7) / 10).toFixed(1)} kWh`).join(', ');
    // OpenAI's tokenizers give this 0.45 tokens a character.
    expect(estimateTextTokens(readings)).toBeGreaterThan(readings.length * 0.4);
  });

  it('counts characters outside ASCII at least a token each (CJK; an emoji is one character)', () => {
    expect(estimateTextTokens('客厅的灯开着')).toBeGreaterThanOrEqual(6);
    expect(estimateTextTokens('🔥🔥')).toBe(estimateTextTokens('客厅'));
    // chars/4 would count Greek four times too low.
    const greek = 'Το σαλόνι είναι ζεστό';
    expect(estimateTextTokens(greek)).toBeGreaterThan(greek.length / 2);
  });
});

describe('request estimate', () => {
  it('adds the system prompt, each message, tool calls, images and the tool definitions', () => {
    const base = estimateInputTokens({ messages: [{ role: 'user', content: 'hello' }] });
    expect(base).toBe(MESSAGE_OVERHEAD_TOKENS + 1);
    expect(estimateInputTokens({ system: 'be brief', messages: [{ role: 'user', content: 'hello' }] })).toBe(base + MESSAGE_OVERHEAD_TOKENS + 2);
    const withImage = estimateInputTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'image', mediaType: 'image/jpeg', data: 'AAAA' }] }] });
    expect(withImage).toBe(base + IMAGE_TOKENS);
    const tools = [{ name: 'get_state', description: 'Reads an entity.', parameters: { type: 'object' } }];
    expect(estimateInputTokens({ messages: [{ role: 'user', content: 'hello' }], tools })).toBeGreaterThan(base + 300);
    const history = estimateInputTokens({
      messages: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'get_state', arguments: { entity_id: 'light.kitchen' } }] },
        { role: 'tool', toolCallId: 't1', name: 'get_state', content: '{"state":"on"}' },
      ],
    });
    expect(history).toBeGreaterThan(base + 3 * MESSAGE_OVERHEAD_TOKENS);
  });

  it('reserves the whole output allowance: the max tokens asked for, else the default', () => {
    const messages = [{ role: 'user' as const, content: 'hello' }];
    expect(estimateUsage({ messages, maxTokens: 300 }).outputTokens).toBe(300);
    expect(estimateUsage({ messages }).outputTokens).toBe(DEFAULT_MAX_TOKENS);
  });

  it('prices with the price table; an unpriced model has no estimate', () => {
    const messages = [{ role: 'user' as const, content: 'hello' }];
    // gpt-4o: 5 input tokens at $2.50 and 1000 output at $10 per million.
    expect(estimateCostUsd({ messages, maxTokens: 1000 }, priceFor('openai', 'gpt-4o'))).toBe(0.0100125);
    expect(estimateCostUsd({ messages, maxTokens: 1000 }, priceFor('ollama', 'llama3'))).toBe(0);
    expect(estimateCostUsd({ messages }, priceFor('openai', 'gpt-6-preview'))).toBeNull();
  });
});
