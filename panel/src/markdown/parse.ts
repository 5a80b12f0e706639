// Chat answers are read by marked's lexer (GFM, a newline is a line break) into tokens, never into
// HTML: the renderer builds DOM from the tokens through Lit templates, so no text from the model
// is ever parsed as markup. Raw HTML in an answer comes out of the lexer as an `html` token, which
// the renderer shows as the characters it is.
import { Marked, type Token } from 'marked';
import { columns } from './columns.ts';

const marked = new Marked({ gfm: true, breaks: true, extensions: [columns] });

export function lexMarkdown(src: string): Token[] {
  return marked.lexer(src);
}

/** Only these schemes become links; anything else (javascript:, data:, relative) stays text. */
export function safeHref(href: string): string | undefined {
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
