// Lit templates as HTML text, for unit tests of pure renderers without a DOM. Bound values are
// escaped the way Lit's text and attribute bindings treat them, so markup in the output can only
// have come from the template's own strings: what a test of XSS safety needs to see.
import { nothing, type TemplateResult } from 'lit';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function isTemplate(v: unknown): v is TemplateResult {
  return typeof v === 'object' && v !== null && 'strings' in v && 'values' in v;
}

/** A bound primitive as the text Lit would show (objects are not bound as text here). */
const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

function value(v: unknown): string {
  if (v === nothing || v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(value).join('');
  if (isTemplate(v)) return templateText(v);
  return escape(text(v));
}

/** A template's own text without the line breaks and indentation of its source. */
const flat = (s: string | undefined) => (s ?? '').replace(/\s*\n\s*/g, '');

export function templateText(t: TemplateResult): string {
  let out = flat(t.strings[0]);
  t.values.forEach((v, i) => {
    const next = flat(t.strings[i + 1]);
    const bool = /\s\?([\w-]+)=$/.exec(out);
    const attr = /\s([\w-]+)=$/.exec(out);
    if (bool) out = out.slice(0, -bool[0].length) + (v ? ` ${bool[1]}` : '');
    else if (attr) out = v === nothing || v === undefined ? out.slice(0, -attr[0].length) : `${out}"${escape(text(v))}"`;
    else out += value(v);
    out += next;
  });
  return out;
}
