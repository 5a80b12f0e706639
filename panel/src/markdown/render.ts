// Renders marked's tokens as Lit templates. Every piece of text is bound as a text value, so
// `<script>` in an answer shows as the characters `<script>`: no innerHTML, no unsafeHTML. Links
// only to http(s) and mailto, in a new tab without the opener; images become links (nothing
// loads from a URL the model chose).
import { html, nothing, type TemplateResult } from 'lit';
import type { Token, Tokens } from 'marked';
import type { ColumnsToken } from './columns.ts';
import { lexMarkdown, safeHref } from './parse.ts';

type Part = TemplateResult | string | typeof nothing;

function link(href: string, label: Part[], title?: string | null): TemplateResult {
  return html`<a href=${href} title=${title || nothing} target="_blank" rel="noopener noreferrer">${label}</a>`;
}

function inline(tokens: Token[] | undefined): Part[] {
  return (tokens ?? []).map((t): Part => {
    switch (t.type) {
      case 'text':
        return t.tokens ? html`${inline(t.tokens)}` : (t as Tokens.Text).text;
      case 'escape':
        return (t as Tokens.Escape).text;
      case 'strong':
        return html`<strong>${inline(t.tokens)}</strong>`;
      case 'em':
        return html`<em>${inline(t.tokens)}</em>`;
      case 'del':
        return html`<del>${inline(t.tokens)}</del>`;
      case 'codespan':
        return html`<code>${(t as Tokens.Codespan).text}</code>`;
      case 'br':
        return html`<br />`;
      case 'link': {
        const href = safeHref((t as Tokens.Link).href);
        return href ? link(href, inline(t.tokens), (t as Tokens.Link).title) : t.raw;
      }
      case 'image': {
        const img = t as Tokens.Image;
        const href = safeHref(img.href);
        return href ? link(href, [img.text || 'image'], img.title) : t.raw;
      }
      case 'checkbox':
        return html`<input type="checkbox" disabled ?checked=${(t as Tokens.Checkbox).checked} /> `;
      default:
        // html, and anything a later marked adds: the characters as written.
        return t.raw;
    }
  });
}

function table(t: Tokens.Table): TemplateResult {
  const align = (a: Tokens.TableCell['align']) => (a ? `text-align:${a}` : nothing);
  return html`<div class="table-scroll">
    <table class="md-table">
      <thead><tr>${t.header.map((c) => html`<th style=${align(c.align)}>${inline(c.tokens)}</th>`)}</tr></thead>
      <tbody>${t.rows.map((r) => html`<tr>${r.map((c) => html`<td style=${align(c.align)}>${inline(c.tokens)}</td>`)}</tr>`)}</tbody>
    </table>
  </div>`;
}

function columnsTable(t: ColumnsToken): TemplateResult {
  // A short row (a line with fewer cells) spans the rest, so a long line stays on one row.
  const width = Math.max(...t.rows.map((r) => r.length));
  return html`<table class="columns">
    ${t.rows.map((r) => html`<tr>${r.map((cell, n) => html`<td colspan=${n === r.length - 1 ? width - n : 1}>${inline(cell)}</td>`)}</tr>`)}
  </table>`;
}

function list(t: Tokens.List): TemplateResult {
  const items = t.items.map((item) => html`<li class=${item.task ? 'task' : nothing}>${blocks(item.tokens)}</li>`);
  return t.ordered ? html`<ol start=${typeof t.start === 'number' && t.start !== 1 ? t.start : nothing}>${items}</ol>` : html`<ul>${items}</ul>`;
}

function blocks(tokens: Token[]): Part[] {
  return tokens.map((t): Part => {
    switch (t.type) {
      case 'space':
      case 'def':
        return nothing;
      case 'paragraph':
        return html`<p>${inline(t.tokens)}</p>`;
      case 'text':
        // The text of a tight list item: inline content without a paragraph around it.
        return html`${t.tokens ? inline(t.tokens) : (t as Tokens.Text).text}`;
      case 'heading': {
        // Headings inside a chat bubble stay modest: the level only picks the size.
        const depth = (t as Tokens.Heading).depth;
        return html`<p class="h h${depth}" role="heading" aria-level=${Math.min(depth + 2, 6)}>${inline(t.tokens)}</p>`;
      }
      case 'code': {
        const code = t as Tokens.Code;
        return html`<pre><code data-lang=${code.lang || nothing}>${code.text}</code></pre>`;
      }
      case 'blockquote':
        return html`<blockquote>${blocks(t.tokens ?? [])}</blockquote>`;
      case 'list':
        return list(t as Tokens.List);
      case 'table':
        return table(t as Tokens.Table);
      case 'columns':
        return columnsTable(t as ColumnsToken);
      case 'hr':
        return html`<hr />`;
      case 'checkbox':
        return html`${inline([t])}`;
      default:
        // A block of raw HTML (or a token this renderer does not know): its characters, as text.
        return html`<p>${t.raw.trim()}</p>`;
    }
  });
}

export function renderMarkdown(src: string): TemplateResult {
  return html`${blocks(lexMarkdown(src))}`;
}
