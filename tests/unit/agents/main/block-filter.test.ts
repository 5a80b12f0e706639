import { describe, expect, it } from 'vitest';
import { BlockFilter } from '../../../../server/src/agents/main/conversation/block-filter.ts';

/** Runs a text through the filter in chunks of `size` characters (1 = the worst case). */
function filtered(text: string, size: number): string {
  const f = new BlockFilter();
  let out = '';
  for (let i = 0; i < text.length; i += size) out += f.push(text.slice(i, i + size));
  return out + f.end();
}

const SPAWN = '<spawn>\n{"name": "weather-agent", "type": "dynamic", "code": "async function handleTask(agent, p) { return p.a < 3; }"}\n</spawn>';

describe('BlockFilter', () => {
  const cases: [string, string, string][] = [
    ['a block between paragraphs', `Sure, here it is.\n\n${SPAWN}\n\nIt will answer on request.`, 'Sure, here it is.\n\nIt will answer on request.'],
    ['a fenced block', `Starting it:\n\n\`\`\`xml\n${SPAWN}\n\`\`\`\n\nDone.`, 'Starting it:\n\nDone.'],
    ['delete and delegate blocks', 'Removing <delete>old-one</delete> and asking <delegate agent="calc">{"a": 1}</delegate> now.', 'Removing and asking now.'],
    ['a block first', `${SPAWN}\nReady.`, 'Ready.'],
    ['prose with a < that is no tag', 'If x < 3 and y<z, use <b>bold</b>.', 'If x < 3 and y<z, use <b>bold</b>.'],
    ['an ordinary code fence', 'Code:\n```js\nconst a = 1 < 2;\n```\nEnd.', 'Code:\n```js\nconst a = 1 < 2;\n```\nEnd.'],
    ['a tag named in prose, never closed', 'Reply with a <delete> block to remove it.', 'Reply with a <delete> block to remove it.'],
    ['a spawn cut off mid-JSON (reported elsewhere, hidden here)', 'Here: <spawn>{"name": "x", "code": "unfinis', 'Here:'],
  ];

  for (const [what, input, expected] of cases) {
    it(`shows the same text for ${what}, whatever the chunking`, () => {
      for (const size of [1, 2, 3, 7, 1000]) expect(filtered(input, size), `chunks of ${size}`).toBe(expected);
    });
  }

  it('never lets a block through before it is complete', () => {
    const f = new BlockFilter();
    const seen: string[] = [];
    for (const ch of `Hi. ${SPAWN} Bye.`) seen.push(f.push(ch));
    seen.push(f.end());
    expect(seen.join('')).toBe('Hi. Bye.');
    expect(seen.some((s) => s.includes('{') || s.includes('spawn'))).toBe(false);
    expect(f.removed).toBe(1);
  });
});
