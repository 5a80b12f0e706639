// A small Markdown parser for chat answers: paragraphs, headings, lists, code blocks, quotes,
// rules, and inline strong/em/code/links. It produces a tree, never HTML, so the renderer can
// build DOM through Lit templates and no text from the model is ever parsed as markup.
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'br' };

export type Block =
  | { type: 'p'; children: Inline[] }
  | { type: 'h'; level: 1 | 2 | 3 | 4; children: Inline[] }
  | { type: 'ul' | 'ol'; items: Inline[][] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'quote'; children: Inline[] }
  | { type: 'table'; rows: Inline[][][] }
  | { type: 'hr' };

/** Only these schemes become links; anything else (javascript:, data:, relative) stays text. */
export function safeHref(href: string): string | undefined {
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

// Underscores emphasise only at word boundaries: entity ids like binary_sensor.front_door are
// full of them and must stay intact.
const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|(?<!\w)__(\S(?:.*?\S)?)__(?!\w)|\*([^*\s](?:[^*]*[^*\s])?)\*|(?<!\w)_([^_\s](?:[^_]*[^_\s])?)_(?!\w)|\[([^\]]+)\]\(([^)\s]+)\)|\n/gs;

export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  const text = (s: string) => {
    if (!s) return;
    const prev = out.at(-1);
    if (prev?.type === 'text') prev.text += s;
    else out.push({ type: 'text', text: s });
  };
  for (const m of src.matchAll(INLINE)) {
    text(src.slice(last, m.index));
    last = m.index + m[0].length;
    const [whole, code, strong1, strong2, em1, em2, linkText, href] = m;
    if (code !== undefined) out.push({ type: 'code', text: code });
    else if (strong1 !== undefined || strong2 !== undefined) out.push({ type: 'strong', children: parseInline(strong1 ?? strong2 ?? '') });
    else if (em1 !== undefined || em2 !== undefined) out.push({ type: 'em', children: parseInline(em1 ?? em2 ?? '') });
    else if (linkText !== undefined && href !== undefined) {
      const safe = safeHref(href);
      if (safe) out.push({ type: 'link', href: safe, children: parseInline(linkText) });
      else text(whole);
    } else out.push({ type: 'br' });
  }
  text(src.slice(last));
  return out;
}

const FENCE = /^```\s*([\w+-]*)\s*$/;
const HEADING = /^(#{1,4})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const QUOTE = /^>\s?(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;
// Terminal-style columns (what /help, /agents and /budget answer): indented lines whose cells are
// separated by two or more spaces. As a paragraph they would collapse into run-on lines.
const INDENTED = /^ {2,}(\S.*)$/;
const GAP = /\S {2,}\S/;

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || BULLET.test(line) || NUMBERED.test(line) || QUOTE.test(line) || RULE.test(line) || (INDENTED.test(line) && GAP.test(line.trim()));
}

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  /** Consumes consecutive lines matching `re` and returns their first capture group. */
  const take = (re: RegExp): string[] => {
    const out: string[] = [];
    for (let m = re.exec(lines[i] ?? ''); i < lines.length && m; m = re.exec(lines[++i] ?? '')) out.push(m[1] ?? '');
    return out;
  };
  while (i < lines.length) {
    const line = lines[i];
    const columns = columnsAt(lines, i);
    const fence = FENCE.exec(line);
    const heading = HEADING.exec(line);
    if (fence) {
      const body: string[] = [];
      // An unclosed fence (a stream cut mid-block) runs to the end, as it will once closed.
      for (i++; i < lines.length && !FENCE.test(lines[i]); i++) body.push(lines[i]);
      i++;
      blocks.push({ type: 'code', lang: fence[1] ?? '', text: body.join('\n') });
    } else if (!line.trim()) {
      i++;
    } else if (RULE.test(line)) {
      blocks.push({ type: 'hr' });
      i++;
    } else if (heading) {
      blocks.push({ type: 'h', level: heading[1].length as 1 | 2 | 3 | 4, children: parseInline(heading[2]) });
      i++;
    } else if (BULLET.test(line)) {
      blocks.push({ type: 'ul', items: take(BULLET).map(parseInline) });
    } else if (NUMBERED.test(line)) {
      blocks.push({ type: 'ol', items: take(NUMBERED).map(parseInline) });
    } else if (columns > 0) {
      const rows = lines.slice(i, i + columns).map((l) => l.trim().split(/ {2,}/).map(parseInline));
      blocks.push({ type: 'table', rows });
      i += columns;
    } else if (QUOTE.test(line)) {
      blocks.push({ type: 'quote', children: parseInline(take(QUOTE).join('\n')) });
    } else {
      const para = [line];
      for (i++; i < lines.length && lines[i].trim() && !startsBlock(lines[i]); i++) para.push(lines[i]);
      blocks.push({ type: 'p', children: parseInline(para.join('\n')) });
    }
  }
  return blocks;
}

/** How many lines from `i` form a block of columns (0 if none: no line has a column gap). */
function columnsAt(lines: string[], i: number): number {
  let n = 0;
  while (i + n < lines.length && INDENTED.test(lines[i + n]) && !BULLET.test(lines[i + n]) && !NUMBERED.test(lines[i + n])) n++;
  return lines.slice(i, i + n).some((l) => GAP.test(l.trim())) ? n : 0;
}
