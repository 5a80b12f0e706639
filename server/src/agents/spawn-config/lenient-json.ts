// A forgiving JSON reader for LLM output. Models write spawn blocks as "JSON with code in it":
// raw newlines inside strings, unescaped quotes and braces in code, single quotes, unquoted
// keys, trailing commas, missing commas between lines, Python's True/False/None, comments,
// triple-quoted strings. Strict JSON.parse is tried first; this parser runs only when it fails.
//
// The hard case is a long text value (code) holding unescaped quotes: which quote ends it? For
// such keys every quote followed by something that can legally come next (`, "known_key":`, a
// closing brace, end of input) is a candidate end; the earliest is tried first and, when the rest
// of the document then fails to parse, the next one (a bounded depth-first search over the
// candidate ends of every long text value). Known field names rank before unknown ones, so code
// holding `{"a": "x", "y": 1}` is not cut at `"x"`.
//
// Escapes: a `verbatim` value (code) with raw newlines was pasted as source text, so `\n`, `\t`
// stay as written (they are JS escapes inside JS string literals). If its quotes are all escaped
// (`\"`) the model did JSON-escape the rest, so `\"`, `\\` and `\uXXXX` are decoded; if raw quotes
// appear, nothing is decoded. Every other string gets JSON escapes decoded, unknown ones (`\d` in
// a regex) kept.

export interface LenientJsonOptions {
  /** Keys whose string values may contain unescaped quotes. */
  longTextKeys?: ReadonlySet<string>;
  /** Keys whose values are source code: kept verbatim when they contain raw newlines. */
  verbatimKeys?: ReadonlySet<string>;
  /** Field names expected in the document; they rank candidate string ends first. */
  knownKeys?: ReadonlySet<string>;
  /** Upper bound on parse attempts during the candidate search. */
  maxAttempts?: number;
}

export type LenientJsonResult =
  | { ok: true; value: unknown; repairs: string[] }
  | { ok: false; message: string; offset: number; line: number; column: number };

const MAX_DEPTH = 64;
const KEY = String.raw`(?:(["'\x60])([A-Za-z_$][\w$-]*)\1|([A-Za-z_$][\w$-]*))`;
/** What may follow the end of a value: a separator and a key, a closing bracket, or the end. */
const AFTER_VALUE_KEY = new RegExp(String.raw`(?:\s*,|[ \t]*\n)\s*${KEY}\s*:`, 'y');
/** A closing bracket must itself be followed by the end, another closer or a comma: `"}); x` is code. */
const AFTER_VALUE_CLOSE = /\s*,?\s*(?:[}\]]\s*(?:[}\],]|$)|$)/y;

class ParseError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function parseLenientJson(text: string, options: LenientJsonOptions = {}): LenientJsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown, repairs: [] };
  } catch {
    // fall through to the lenient parser
  }
  const cache = new Map<number, number[]>();
  const maxAttempts = options.maxAttempts ?? 1000;
  let choices: number[] = [];
  let best: ParseError | undefined;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const parser = new Parser(text, options, choices, cache);
    try {
      const value = parser.document();
      return { ok: true, value, repairs: [...parser.repairs] };
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      if (!best || err.offset > best.offset) best = err;
    }
    // Depth-first: move the deepest choice point that has an untried candidate, reset the rest.
    const counts = parser.counts;
    const next = counts.map((_, i) => choices[i] ?? 0);
    let k = counts.length - 1;
    while (k >= 0 && (next[k]) + 1 >= (counts[k])) k--;
    if (k < 0) break;
    next[k] = (next[k]) + 1;
    choices = next.slice(0, k + 1);
  }
  const err = best ?? new ParseError('could not parse', 0);
  return { ok: false, message: err.message, offset: err.offset, ...lineColumn(text, err.offset) };
}

class Parser {
  readonly repairs = new Set<string>();
  /** Candidate count of each long-text value met, in order (the search's choice points). */
  readonly counts: number[] = [];
  #pos = 0;
  #depth = 0;
  readonly #text: string;
  readonly #opts: LenientJsonOptions;
  readonly #choices: readonly number[];
  readonly #cache: Map<number, number[]>;

  constructor(text: string, opts: LenientJsonOptions, choices: readonly number[], cache: Map<number, number[]>) {
    this.#text = text;
    this.#opts = opts;
    this.#choices = choices;
    this.#cache = cache;
  }

  document(): unknown {
    this.#ws();
    const value = this.#value(undefined);
    this.#ws();
    if (this.#pos < this.#text.length) throw this.#fail('unexpected text after the end of the JSON value');
    return value;
  }

  #value(key: string | undefined): unknown {
    const c = this.#text[this.#pos];
    if (c === undefined) throw this.#fail(`missing value${key ? ` for "${key}"` : ''} (input ended)`);
    if (c === '{') return this.#nested(() => this.#object());
    if (c === '[') return this.#nested(() => this.#array());
    if (c === '"' || c === "'" || c === '`') return this.#string(key);
    const num = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
    num.lastIndex = this.#pos;
    const n = num.exec(this.#text);
    if (n) {
      this.#pos += n[0].length;
      return Number(n[0]);
    }
    const word = /[A-Za-z_$][\w$]*/y;
    word.lastIndex = this.#pos;
    const w = word.exec(this.#text)?.[0];
    const literals: Record<string, unknown> = { true: true, false: false, null: null, True: true, False: false, None: null, undefined: null };
    if (w !== undefined && w in literals) {
      if (w !== 'true' && w !== 'false' && w !== 'null') this.repairs.add(`read ${w} as ${String(literals[w])}`);
      this.#pos += w.length;
      return literals[w];
    }
    throw this.#fail(`unexpected ${w ? `word "${w}"` : `"${c}"`}${key ? ` in the value of "${key}"` : ''}; strings need quotes`);
  }

  #nested<T>(fn: () => T): T {
    if (++this.#depth > MAX_DEPTH) throw this.#fail(`nested deeper than ${MAX_DEPTH} levels`);
    try {
      return fn();
    } finally {
      this.#depth--;
    }
  }

  #object(): Record<string, unknown> {
    this.#pos++;
    const entries: [string, unknown][] = [];
    for (;;) {
      this.#ws();
      if (this.#eat('}')) break;
      if (this.#pos >= this.#text.length) {
        this.repairs.add('added a missing "}"');
        break;
      }
      const key = this.#key();
      this.#ws();
      if (!this.#eat(':')) throw this.#fail(`expected ":" after "${key}"`);
      this.#ws();
      entries.push([key, this.#value(key)]);
      this.#ws();
      if (this.#eat(',')) continue;
      if (this.#text[this.#pos] === '}' || this.#pos >= this.#text.length) continue;
      if (/["'A-Za-z_$]/.test(this.#text[this.#pos] ?? '')) {
        this.repairs.add('added a missing ","');
        continue;
      }
      throw this.#fail(`expected "," or "}" after the value of "${key}"`);
    }
    // fromEntries defines own properties, so a "__proto__" key cannot reach the prototype.
    return Object.fromEntries(entries);
  }

  #array(): unknown[] {
    this.#pos++;
    const items: unknown[] = [];
    for (;;) {
      this.#ws();
      if (this.#eat(']')) return items;
      if (this.#pos >= this.#text.length) {
        this.repairs.add('added a missing "]"');
        return items;
      }
      items.push(this.#value(undefined));
      this.#ws();
      if (this.#eat(',') || this.#text[this.#pos] === ']') continue;
      throw this.#fail('expected "," or "]" in a list');
    }
  }

  #key(): string {
    const c = this.#text[this.#pos];
    if (c === '"' || c === "'" || c === '`') {
      const end = this.#closingQuote(this.#pos, c);
      if (end < 0 || this.#text.slice(this.#pos + 1, end).includes('\n')) throw this.#fail('unterminated field name');
      const k = decodeEscapes(this.#text.slice(this.#pos + 1, end));
      if (c !== '"') this.repairs.add('read single-quoted strings');
      this.#pos = end + 1;
      return k;
    }
    const m = /[A-Za-z_$][\w$-]*/y;
    m.lastIndex = this.#pos;
    const word = m.exec(this.#text)?.[0];
    if (word === undefined) throw this.#fail(`expected a field name, got "${c ?? 'end of input'}"`);
    this.repairs.add('read unquoted field names');
    this.#pos += word.length;
    return word;
  }

  #string(key: string | undefined): string {
    const start = this.#pos;
    const q = this.#text[start];
    const verbatim = key !== undefined && this.#opts.verbatimKeys?.has(key) === true;
    const triple = q.repeat(3);
    if (q !== '`' && this.#text.startsWith(triple, start)) {
      const end = this.#text.indexOf(triple, start + 3);
      if (end < 0) throw this.#fail(`unterminated ${triple} string${key ? ` in "${key}"` : ''}`, start);
      this.repairs.add('read triple-quoted strings');
      this.#pos = end + 3;
      const body = this.#text.slice(start + 3, end).replace(/^\n/, '');
      return verbatim ? body : decodeEscapes(body);
    }
    if (q !== '"') this.repairs.add('read single-quoted strings');
    let end: number;
    if (key !== undefined && this.#opts.longTextKeys?.has(key) === true) {
      const candidates = this.#candidates(start, q);
      if (candidates.length === 0) throw this.#fail(`unterminated string in "${key}"`, start);
      const point = this.counts.length;
      this.counts.push(candidates.length);
      end = candidates[this.#choices[point] ?? 0];
    } else {
      end = this.#closingQuote(start, q);
      if (end < 0) throw this.#fail(`unterminated string${key ? ` in "${key}"` : ''}`, start);
    }
    const body = this.#text.slice(start + 1, end);
    this.#pos = end + 1;
    if (!verbatim || !body.includes('\n')) return decodeEscapes(body);
    return hasUnescaped(body, q) ? body : decodeCodeEscapes(body);
  }

  /** Ends a long text value could have, best first: before a known key or a close, then before any key. */
  #candidates(start: number, q: string): number[] {
    const cached = this.#cache.get(start);
    if (cached) return cached;
    const known: number[] = [];
    const other: number[] = [];
    for (let i = this.#closingQuote(start, q); i >= 0; i = this.#closingQuote(i, q)) {
      AFTER_VALUE_CLOSE.lastIndex = i + 1;
      AFTER_VALUE_KEY.lastIndex = i + 1;
      const keyMatch = AFTER_VALUE_KEY.exec(this.#text);
      if (AFTER_VALUE_CLOSE.test(this.#text)) known.push(i);
      else if (keyMatch) {
        const name = keyMatch[2] ?? keyMatch[3] ?? '';
        (this.#opts.knownKeys === undefined || this.#opts.knownKeys.has(name) ? known : other).push(i);
      }
    }
    const all = [...known, ...other];
    this.#cache.set(start, all);
    return all;
  }

  /** Index of the next unescaped `q` after `from`, or -1. */
  #closingQuote(from: number, q: string): number {
    for (let i = this.#text.indexOf(q, from + 1); i >= 0; i = this.#text.indexOf(q, i + 1)) {
      let slashes = 0;
      for (let j = i - 1; j > from && this.#text[j] === '\\'; j--) slashes++;
      if (slashes % 2 === 0) return i;
    }
    return -1;
  }

  /** Skips whitespace and // or /* comments, which models add to "explain" a config. */
  #ws(): void {
    const re = /(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)+/y;
    re.lastIndex = this.#pos;
    const m = re.exec(this.#text);
    if (m) {
      if (m[0].includes('/')) this.repairs.add('skipped comments');
      this.#pos += m[0].length;
    }
  }

  #eat(c: string): boolean {
    if (this.#text[this.#pos] !== c) return false;
    this.#pos++;
    return true;
  }

  #fail(message: string, at = this.#pos): ParseError {
    return new ParseError(message, at);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', '"': '"', "'": "'", '`': '`' };

function hasUnescaped(body: string, q: string): boolean {
  for (let i = body.indexOf(q); i >= 0; i = body.indexOf(q, i + 1)) {
    let slashes = 0;
    for (let j = i - 1; j >= 0 && body[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) return true;
  }
  return false;
}

/** Only the escapes JSON needs and code does not: quotes, backslashes, slashes, \uXXXX. */
function decodeCodeEscapes(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (whole, esc: string) => {
    if (esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
    return esc === '"' || esc === "'" || esc === '`' || esc === '\\' || esc === '/' ? esc : whole;
  });
}

/** JSON escapes decoded; unknown ones (a regex's `\d`) kept as written rather than rejected. */
export function decodeEscapes(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (whole, esc: string) => {
    if (esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
    return SIMPLE_ESCAPES[esc] ?? whole;
  });
}
