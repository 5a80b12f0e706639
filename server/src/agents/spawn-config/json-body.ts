// The JSON inside a block, cut out of what models wrap around it: ```json fences, a sentence
// before the object, CRLF line ends (Windows-trained habits), a closing remark after it.

export interface JsonBody {
  /** The candidate JSON text. */
  text: string;
  /** Offset of `text` inside the (CRLF-normalised) body, for error positions. */
  offset: number;
  /** The CRLF-normalised body the offset refers to. */
  body: string;
  notes: string[];
}

export function extractJsonBody(rawBody: string): JsonBody {
  const notes: string[] = [];
  const body = rawBody.replace(/\r\n?/g, '\n');
  let start = 0;
  let end = body.length;
  const fence = /^\s*```[\w-]*[ \t]*\n/.exec(body);
  if (fence) {
    start = fence[0].length;
    const closing = body.lastIndexOf('```');
    if (closing >= start) end = closing;
    notes.push('removed a markdown fence around the JSON');
  }
  const open = firstIndexOf(body, ['{', '['], start, end);
  if (open < 0) return { text: body.slice(start, end).trim(), offset: start, body, notes };
  const closer = body[open] === '{' ? '}' : ']';
  const close = body.lastIndexOf(closer, end - 1);
  if (body.slice(start, open).trim()) notes.push('ignored text before the JSON');
  const stop = close >= open ? close + 1 : end;
  if (body.slice(stop, end).trim()) notes.push('ignored text after the JSON');
  return { text: body.slice(open, stop), offset: open, body, notes };
}

function firstIndexOf(text: string, chars: string[], from: number, to: number): number {
  for (let i = from; i < to; i++) if (chars.includes(text[i])) return i;
  return -1;
}
