// How a log line reads in a terminal: `12:04:31 INFO  demo home listening  url=http://…`, one
// line per record, colour when the terminal has it. pino writes JSON; this is the destination
// that turns each record into that line. The add-on (no terminal) keeps pino's JSON.
const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[36m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[35m'],
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Always the same on every line, so not worth printing. */
const HIDDEN = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname']);

export function prettyLine(json: string, colour: boolean): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const [label, tint] = LEVELS[Number(rec.level)] ?? ['LOG  ', ''];
  const time = typeof rec.time === 'number' ? new Date(rec.time).toTimeString().slice(0, 8) : '';
  const fields = Object.entries(rec)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => (k === 'err' ? errText(v) : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`));
  const c = (code: string, s: string) => (colour && code ? `${code}${s}${RESET}` : s);
  const inline = fields.filter((f) => !f.includes('\n'));
  const rest = inline.length ? `  ${c(DIM, inline.join(' '))}` : '';
  const stacks = fields.filter((f) => f.includes('\n')).map((f) => `\n${c(DIM, f)}`).join('');
  return `${c(DIM, time)} ${c(tint, label)} ${typeof rec.msg === 'string' ? rec.msg : ''}${rest}${stacks}\n`;
}

function errText(v: unknown): string {
  const e = v as { message?: string; stack?: string } | null;
  if (!e || typeof e !== 'object') return `err=${String(v)}`;
  return e.stack ?? `err=${e.message ?? JSON.stringify(e)}`;
}

/** A pino destination writing pretty lines to `out`. */
export function prettyStream(out: NodeJS.WritableStream & { hasColors?: () => boolean }): { write(line: string): void } {
  const colour = typeof out.hasColors === 'function' ? out.hasColors() : false;
  return { write: (line: string) => void out.write(prettyLine(line, colour)) };
}
