// The chat's Markdown: marked's tokens rendered as Lit templates. The HTML here is the templates
// serialised with every bound value escaped (as Lit binds it), so a tag in it can only have come
// from the renderer's own templates, never from the model's text.
import { describe, expect, it } from 'vitest';
import { lexMarkdown, safeHref } from '../../../panel/src/markdown/parse.ts';
import { renderMarkdown } from '../../../panel/src/markdown/render.ts';
import { templateText } from '../../helpers/lit-template.ts';

const md = (src: string) => templateText(renderMarkdown(src));
/** The tag names the output contains, in order. */
const tags = (out: string) => [...out.matchAll(/<([a-z0-9]+)/g)].map((m) => m[1]);

describe('renderMarkdown', () => {
  it('renders paragraphs, headings, lists, code blocks, quotes and rules', () => {
    const src = '# Living room\nIt is **21.5 °C**.\n\n- humidity: 45%\n- window: `closed`\n\n1. one\n2. two\n\n```yaml\nalias: x\n```\n> careful\n\n---';
    expect(md(src)).toBe(
      '<p class="h h1" role="heading" aria-level="3">Living room</p>' +
        '<p>It is <strong>21.5 °C</strong>.</p>' +
        '<ul><li>humidity: 45%</li><li>window: <code>closed</code></li></ul>' +
        '<ol><li>one</li><li>two</li></ol>' +
        '<pre><code data-lang="yaml">alias: x</code></pre>' +
        '<blockquote><p>careful</p></blockquote>' +
        '<hr />',
    );
  });

  it('renders GFM tables with their alignment, emphasis, strikethrough and task lists', () => {
    const out = md('| Room | °C |\n|---|--:|\n| Kitchen | *20* |\n\n~~old~~ _new_\n\n- [x] lights off\n- [ ] door locked');
    expect(out).toContain('<thead><tr><th>Room</th><th style="text-align:right">°C</th></tr></thead>');
    expect(out).toContain('<tbody><tr><td>Kitchen</td><td style="text-align:right"><em>20</em></td></tr></tbody>');
    expect(out).toContain('<p><del>old</del> <em>new</em></p>');
    expect(out).toContain('<li class="task"><input type="checkbox" disabled checked /> lights off</li>');
    expect(out).toContain('<li class="task"><input type="checkbox" disabled /> door locked</li>');
  });

  it('keeps an unclosed code fence of a half-streamed answer as code, and half-streamed emphasis as text', () => {
    expect(md('Here:\n```js\nconst a = 1;')).toBe('<p>Here:</p><pre><code data-lang="js">const a = 1;</code></pre>');
    expect(md('the **liv')).toBe('<p>the **liv</p>');
  });

  it('leaves underscores inside words alone (entity ids) and breaks lines inside a paragraph', () => {
    expect(md('binary_sensor.front_door and light.living_room')).toBe('<p>binary_sensor.front_door and light.living_room</p>');
    expect(md('window.__x and window.__y')).toBe('<p>window.__x and window.__y</p>');
    expect(md('**a _b_**')).toBe('<p><strong>a <em>b</em></strong></p>');
    expect(md('a\nb')).toBe('<p>a<br />b</p>');
  });

  it('links http, https and mailto in a new tab without the opener, autolinks bare URLs', () => {
    expect(md('[docs](https://example.com/a "The docs")')).toBe('<p><a href="https://example.com/a" title="The docs" target="_blank" rel="noopener noreferrer">docs</a></p>');
    expect(md('see https://example.com/x or a@b.co')).toBe(
      '<p>see <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a> or <a href="mailto:a@b.co" target="_blank" rel="noopener noreferrer">a@b.co</a></p>',
    );
  });
});

describe('renderMarkdown with hostile model output', () => {
  it('shows script tags and inline HTML as their characters', () => {
    expect(md('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(md('hi <b onmouseover="alert(1)">there</b>')).toBe('<p>hi &lt;b onmouseover=&quot;alert(1)&quot;&gt;there&lt;/b&gt;</p>');
    expect(md('<div>\n<iframe src="https://evil.example"></iframe>\n</div>')).toBe('<p>&lt;div&gt;\n&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;\n&lt;/div&gt;</p>');
  });

  it('never makes an image: a safe one becomes a link, an unsafe one stays text', () => {
    const out = md('![cam](https://cam.example/snap.jpg) <img src=x onerror=alert(1)> ![x](javascript:alert(1))');
    expect(tags(out)).toEqual(['p', 'a']);
    expect(out).toContain('<a href="https://cam.example/snap.jpg" target="_blank" rel="noopener noreferrer">cam</a>');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('![x](javascript:alert(1))');
  });

  it('links no javascript:, data: or relative URL, in links, autolinks or references', () => {
    for (const src of ['[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](data:text/html,<b>hi</b>)', '[x](/api/hassio)', '<javascript:alert(1)>', '[x][r]\n\n[r]: javascript:alert(1)']) {
      expect(tags(md(src)), src).not.toContain('a');
    }
    expect(safeHref('data:text/html,<b>')).toBeUndefined();
    expect(safeHref('/api/hassio')).toBeUndefined();
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
  });

  it('keeps markup in code, headings, table cells and link text as text', () => {
    const out = md('`<img src=x>`\n\n# <svg onload=alert(1)>\n\n| <b>a</b> |\n|---|\n| <i>b</i> |\n\n[<img src=x>](https://example.com)');
    expect(tags(out)).toEqual(['p', 'code', 'p', 'div', 'table', 'thead', 'tr', 'th', 'tbody', 'tr', 'td', 'p', 'a']);
  });
});

describe('terminal columns', () => {
  it('reads padded command output as a table instead of run-on lines', () => {
    const help = 'Commands (answered without the LLM):\n  /help              list the commands\n  /agents [filter]   the running agents\n\nTalking to agents:\n  @agent-name message   send it straight there';
    expect(lexMarkdown(help).filter((t) => t.type !== 'space').map((t) => t.type)).toEqual(['paragraph', 'columns', 'paragraph', 'columns']);
    expect(md(help)).toContain('<table class="columns"><tr><td colspan="1">/help</td><td colspan="1">list the commands</td></tr><tr><td colspan="1">/agents [filter]</td><td colspan="1">the running agents</td></tr></table>');
  });

  it('lets a short row span the rest, and reads four-space columns as columns, not code', () => {
    expect(md('    name    state    node\n    main    running')).toBe(
      '<table class="columns"><tr><td colspan="1">name</td><td colspan="1">state</td><td colspan="1">node</td></tr><tr><td colspan="1">main</td><td colspan="2">running</td></tr></table>',
    );
  });

  it('leaves indented prose and nested bullets alone', () => {
    expect(lexMarkdown('  just indented text').map((t) => t.type)).toEqual(['paragraph']);
    expect(lexMarkdown('- a\n  - b').map((t) => t.type)).toEqual(['list']);
  });
});
