// Finding `<spawn>`, `<delete>` and `<delegate>` blocks in LLM output, and removing them from the
// text the user reads. Tags are matched case-insensitively, with or without attributes, also
// inside markdown fences (models like to wrap blocks in ```xml). An unclosed <spawn> followed by
// JSON (output cut off by the token limit) is still reported, so it fails loudly instead of
// vanishing; any other unclosed tag is prose ("reply with a <spawn> block") and stays text.

export const TAG_NAMES = ['spawn', 'delete', 'delegate'] as const;
export type TagName = (typeof TAG_NAMES)[number];

export interface TagMatch {
  tag: TagName;
  /** Attributes of the opening tag, e.g. {agent: "weather-agent"}. */
  attrs: Record<string, string>;
  body: string;
  /** The whole block as written, tags included. */
  raw: string;
  start: number;
  end: number;
  closed: boolean;
}

const OPEN = /<(spawn|delete|delegate)(\s[^<>]*)?>/gi;

export function findTags(text: string): TagMatch[] {
  const out: TagMatch[] = [];
  OPEN.lastIndex = 0;
  for (let m = OPEN.exec(text); m; m = OPEN.exec(text)) {
    const tag = (m[1]).toLowerCase() as TagName;
    const bodyStart = m.index + m[0].length;
    const close = new RegExp(`</${tag}\\s*>`, 'ig');
    close.lastIndex = bodyStart;
    const c = close.exec(text);
    if (!c && !(tag === 'spawn' && /^\s*(\{|```)/.test(text.slice(bodyStart)))) continue;
    const end = c ? c.index + c[0].length : text.length;
    out.push({
      tag,
      attrs: parseAttrs(m[2] ?? ''),
      body: text.slice(bodyStart, c ? c.index : text.length),
      raw: text.slice(m.index, end),
      start: m.index,
      end,
      closed: c !== null,
    });
    OPEN.lastIndex = end;
  }
  return out;
}

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of source.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    attrs[(m[1]).toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return attrs;
}

/** The text without any block; fences left empty by the removal go too, blank runs collapse. */
export function stripTags(text: string, matches: readonly TagMatch[] = findTags(text)): string {
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start);
    at = m.end;
  }
  out += text.slice(at);
  return out
    .replace(/```[\w-]*[ \t]*\n\s*```/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
