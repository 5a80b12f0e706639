import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../../server/src/interfaces/channels/split.ts';

describe('splitMessage', () => {
  it('keeps a short message whole', () => {
    expect(splitMessage('hello', 4096)).toEqual(['hello']);
    expect(splitMessage('', 4096)).toEqual(['']);
  });

  it('cuts at line breaks before the limit and loses no text', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} of the answer`);
    const parts = splitMessage(lines.join('\n'), 1000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1000);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts at a word when a paragraph has no line break', () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const parts = splitMessage(words, 300);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(300);
    expect(parts.join(' ')).toBe(words);
  });

  it('cuts a word with no break at all at the limit', () => {
    const parts = splitMessage('x'.repeat(250), 100);
    expect(parts.map((p) => p.length)).toEqual([96, 96, 58]);
  });

  it('closes and reopens a code fence cut in two', () => {
    const code = ['```js', ...Array.from({ length: 60 }, (_, i) => `const v${i} = ${i};`), '```'].join('\n');
    const parts = splitMessage(`Here is the agent:\n${code}`, 400);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(400);
      expect((p.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    expect(parts[1].startsWith('```js\n')).toBe(true);
  });
});
