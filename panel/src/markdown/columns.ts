// Terminal-style columns (what /help, /agents and /budget answer): indented lines whose cells are
// separated by two or more spaces. Markdown would read them as one run-on paragraph (or, at four
// spaces, as code), so this block extension for marked reads them as rows of cells first.
import type { Token, TokenizerExtension, Tokens } from 'marked';

export interface ColumnsToken extends Tokens.Generic {
  type: 'columns';
  raw: string;
  /** rows → cells → inline tokens of the cell. */
  rows: Token[][][];
}

const LINE = /^( {2,}\S[^\n]*)(?:\n|$)/;
const GAP = /\S {2,}\S/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;
// Where a block of columns may start inside a paragraph: an indented line with a column gap.
const START = /^ {2,}\S[^\n]*?\S {2,}\S/m;

export const columns: TokenizerExtension = {
  name: 'columns',
  level: 'block',
  start(src) {
    return START.exec(src)?.index;
  },
  tokenizer(src) {
    const lines: string[] = [];
    let raw = '';
    // A nested bullet ("  - b") belongs to its list, and ends the block there.
    for (let m = LINE.exec(src); m?.[1] !== undefined && !LIST_ITEM.test(m[1]); m = LINE.exec(src.slice(raw.length))) {
      lines.push(m[1]);
      raw += m[0];
    }
    if (!lines.some((l) => GAP.test(l.trim()))) return undefined;
    const rows = lines.map((l) => l.trim().split(/ {2,}/).map((cell) => this.lexer.inlineTokens(cell)));
    const token: ColumnsToken = { type: 'columns', raw, rows };
    return token;
  },
};
