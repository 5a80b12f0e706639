import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from '../../../panel/src/markdown/parse.ts';

describe('parseMarkdown', () => {
  it('reads paragraphs, headings, lists, code blocks, quotes and rules', () => {
    const src = '# Living room\nIt is **21.5 °C**.\n\n- humidity: 45%\n- window: `closed`\n\n1. one\n2. two\n\n```yaml\nalias: x\n```\n> careful\n\n---';
    expect(parseMarkdown(src)).toEqual([
      { type: 'h', level: 1, children: [{ type: 'text', text: 'Living room' }] },
      { type: 'p', children: [{ type: 'text', text: 'It is ' }, { type: 'strong', children: [{ type: 'text', text: '21.5 °C' }] }, { type: 'text', text: '.' }] },
      { type: 'ul', items: [[{ type: 'text', text: 'humidity: 45%' }], [{ type: 'text', text: 'window: ' }, { type: 'code', text: 'closed' }]] },
      { type: 'ol', items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]] },
      { type: 'code', lang: 'yaml', text: 'alias: x' },
      { type: 'quote', children: [{ type: 'text', text: 'careful' }] },
      { type: 'hr' },
    ]);
  });

  it('keeps an unclosed code fence of a half-streamed answer as code', () => {
    expect(parseMarkdown('Here:\n```js\nconst a = 1;')).toEqual([
      { type: 'p', children: [{ type: 'text', text: 'Here:' }] },
      { type: 'code', lang: 'js', text: 'const a = 1;' },
    ]);
  });

  it('leaves half-streamed emphasis as plain text', () => {
    expect(parseInline('the **liv')).toEqual([{ type: 'text', text: 'the **liv' }]);
  });

  it('keeps HTML as text: the tree has no node that could carry markup', () => {
    const blocks = parseMarkdown('<img src=x onerror=alert(1)> and <script>alert(2)</script>');
    expect(blocks).toEqual([{ type: 'p', children: [{ type: 'text', text: '<img src=x onerror=alert(1)> and <script>alert(2)</script>' }] }]);
  });

  it('links only http, https and mailto URLs', () => {
    expect(parseInline('[docs](https://example.com/a)')).toEqual([{ type: 'link', href: 'https://example.com/a', children: [{ type: 'text', text: 'docs' }] }]);
    expect(parseInline('[x](javascript:alert(1))')).toEqual([{ type: 'text', text: '[x](javascript:alert(1))' }]);
    expect(safeHref('data:text/html,<b>')).toBeUndefined();
    expect(safeHref('/api/hassio')).toBeUndefined();
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
  });

  it('leaves underscores inside words alone (entity ids)', () => {
    expect(parseInline('binary_sensor.front_door and light.living_room')).toEqual([{ type: 'text', text: 'binary_sensor.front_door and light.living_room' }]);
    expect(parseInline('window.__x and window.__y')).toEqual([{ type: 'text', text: 'window.__x and window.__y' }]);
    expect(parseInline('an _emphasised_ word')).toEqual([{ type: 'text', text: 'an ' }, { type: 'em', children: [{ type: 'text', text: 'emphasised' }] }, { type: 'text', text: ' word' }]);
  });

  it('nests emphasis inside strong and line breaks inside paragraphs', () => {
    expect(parseInline('**a _b_**')).toEqual([{ type: 'strong', children: [{ type: 'text', text: 'a ' }, { type: 'em', children: [{ type: 'text', text: 'b' }] }] }]);
    expect(parseMarkdown('a\nb')).toEqual([{ type: 'p', children: [{ type: 'text', text: 'a' }, { type: 'br' }, { type: 'text', text: 'b' }] }]);
  });
});

describe('terminal columns', () => {
  it('reads padded command output as a table instead of run-on lines', () => {
    const help = 'Commands (answered without the LLM):\n  /help              list the commands\n  /agents [filter]   the running agents\n\nTalking to agents:\n  @agent-name message   send it straight there';
    const blocks = parseMarkdown(help);
    expect(blocks.map((b) => b.type)).toEqual(['p', 'table', 'p', 'table']);
    expect(blocks[1]).toEqual({
      type: 'table',
      rows: [
        [[{ type: 'text', text: '/help' }], [{ type: 'text', text: 'list the commands' }]],
        [[{ type: 'text', text: '/agents [filter]' }], [{ type: 'text', text: 'the running agents' }]],
      ],
    });
  });

  it('leaves indented prose and nested bullets alone', () => {
    expect(parseMarkdown('  just indented text').map((b) => b.type)).toEqual(['p']);
    expect(parseMarkdown('- a\n  - b').map((b) => b.type)).toEqual(['ul']);
  });
});
