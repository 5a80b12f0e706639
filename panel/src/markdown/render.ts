// Renders the Markdown tree as Lit templates. Every piece of text is bound as a text value, so
// `<script>` in an answer shows as the characters `<script>`: no innerHTML, no unsafeHTML.
import { html, nothing, type TemplateResult } from 'lit';
import { parseMarkdown, type Block, type Inline } from './parse.ts';

function inline(nodes: Inline[]): (TemplateResult | string)[] {
  return nodes.map((n): TemplateResult | string => {
    switch (n.type) {
      case 'text':
        return n.text;
      case 'strong':
        return html`<strong>${inline(n.children)}</strong>`;
      case 'em':
        return html`<em>${inline(n.children)}</em>`;
      case 'code':
        return html`<code>${n.text}</code>`;
      case 'link':
        return html`<a href=${n.href} target="_blank" rel="noopener noreferrer">${inline(n.children)}</a>`;
      case 'br':
        return html`<br />`;
    }
  });
}

function block(b: Block): TemplateResult {
  switch (b.type) {
    case 'p':
      return html`<p>${inline(b.children)}</p>`;
    case 'h':
      // Headings inside a chat bubble stay modest: the level only picks the size.
      return html`<p class="h h${b.level}" role="heading" aria-level=${b.level + 2}>${inline(b.children)}</p>`;
    case 'ul':
      return html`<ul>${b.items.map((item) => html`<li>${inline(item)}</li>`)}</ul>`;
    case 'ol':
      return html`<ol>${b.items.map((item) => html`<li>${inline(item)}</li>`)}</ol>`;
    case 'code':
      return html`<pre><code data-lang=${b.lang || nothing}>${b.text}</code></pre>`;
    case 'quote':
      return html`<blockquote>${inline(b.children)}</blockquote>`;
    case 'table': {
      // A short row (a line with fewer cells) spans the rest, so a long line stays on one row.
      const width = Math.max(...b.rows.map((r) => r.length));
      return html`<table class="columns">
        ${b.rows.map((r) => html`<tr>${r.map((cell, n) => html`<td colspan=${n === r.length - 1 ? width - n : 1}>${inline(cell)}</td>`)}</tr>`)}
      </table>`;
    }
    case 'hr':
      return html`<hr />`;
  }
}

export function renderMarkdown(src: string): TemplateResult {
  return html`${parseMarkdown(src).map(block)}`;
}
