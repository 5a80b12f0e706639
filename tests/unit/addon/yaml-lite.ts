// A small YAML reader for the add-on's own files (config.yaml, repository.yaml,
// translations/en.yaml), since no YAML package is a dependency. It reads block mappings, block
// sequences of scalars, plain/quoted scalars and folded/literal block scalars, and throws on
// anything else rather than guess. The Supervisor reads these files with PyYAML (YAML 1.1), so
// plain scalars that YAML 1.1 and 1.2 resolve differently (yes/no/on/off, 0777, 1_000) are
// rejected: quote them.
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  readonly no: number;
  readonly indent: number;
  /** The line without its indentation (comments still in place). */
  readonly text: string;
}

export class YamlError extends Error {
  override readonly name = 'YamlError';
}

const isBlank = (text: string) => text === '' || text.startsWith('#');

export function parseYaml(source: string): YamlValue {
  const lines: Line[] = source.split(/\r?\n/).map((raw, i) => {
    const indent = raw.length - raw.replace(/^ +/, '').length;
    if (raw.slice(indent).startsWith('\t')) throw new YamlError(`line ${i + 1}: tab in indentation`);
    return { no: i + 1, indent, text: raw.slice(indent).trimEnd() };
  });
  let pos = 0;

  const peek = (): Line | undefined => {
    while (pos < lines.length && isBlank(lines[pos].text)) pos++;
    return lines[pos];
  };
  const fail = (line: Line, message: string): never => {
    throw new YamlError(`line ${line.no}: ${message}: ${line.text}`);
  };
  const isItem = (text: string) => text === '-' || text.startsWith('- ');

  function block(minIndent: number): YamlValue {
    const first = peek();
    if (!first || first.indent < minIndent) return null;
    return isItem(first.text) ? sequence(first.indent) : mapping(first.indent);
  }

  function mapping(indent: number): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    for (let line = peek(); line && line.indent >= indent; line = peek()) {
      if (line.indent > indent) fail(line, 'unexpected indentation');
      if (isItem(line.text)) fail(line, 'a sequence item where a key was expected');
      const { key, rest } = splitKey(line) ?? fail(line, 'expected "key: value"');
      if (Object.hasOwn(out, key)) fail(line, `duplicate key "${key}"`);
      pos++;
      if (rest === '') {
        const next = peek();
        // YAML allows a sequence at the same indentation as its key.
        out[key] = next && next.indent === indent && isItem(next.text) ? sequence(indent) : block(indent + 1);
      } else if (/^[>|]/.test(rest)) {
        out[key] = blockScalar(line, rest, indent);
      } else {
        out[key] = scalar(line, rest);
      }
    }
    return out;
  }

  function sequence(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    for (let line = peek(); line && line.indent === indent && isItem(line.text); line = peek()) {
      pos++;
      const rest = line.text.slice(1).trim();
      if (rest === '') out.push(block(indent + 1));
      else if (splitKey({ ...line, text: rest })) fail(line, 'mappings inside sequences are not supported');
      else out.push(scalar(line, rest));
    }
    const next = peek();
    if (next && next.indent > indent) fail(next, 'unexpected indentation');
    return out;
  }

  function blockScalar(header: Line, indicator: string, parentIndent: number): string {
    const m = /^([>|])(-?)\s*(#.*)?$/.exec(indicator) ?? fail(header, 'unsupported block scalar header');
    const [, style, strip] = m;
    const body: string[] = [];
    let contentIndent = -1;
    while (pos < lines.length) {
      const line = lines[pos];
      if (line.text !== '' && line.indent <= parentIndent) break;
      if (line.text !== '' && contentIndent === -1) contentIndent = line.indent;
      if (line.text !== '' && line.indent < contentIndent) fail(line, 'block scalar line indented less than its first line');
      body.push(line.text === '' ? '' : ' '.repeat(line.indent - contentIndent) + line.text);
      pos++;
    }
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    const text = style === '|' ? body.join('\n') : fold(body);
    return strip === '-' ? text : `${text}\n`;
  }

  const value = block(0);
  const rest = peek();
  if (rest) fail(rest, 'unexpected content');
  return value;
}

/** Folded style: a single line break becomes a space, each empty line a newline. */
function fold(body: readonly string[]): string {
  let out = '';
  let breaks = 0;
  for (const line of body) {
    if (line === '') {
      breaks++;
      continue;
    }
    out += out === '' ? '\n'.repeat(breaks) : breaks > 0 ? '\n'.repeat(breaks) : ' ';
    out += line;
    breaks = 0;
  }
  return out;
}

function splitKey(line: Line): { key: string; rest: string } | undefined {
  const quoted = /^(["'])(.*?)\1:(?: +(.*))?$/.exec(line.text);
  if (quoted) return { key: quoted[2], rest: quoted[3] ?? '' };
  const m = /^([^\s"'#:][^:]*?):(?: +(.*))?$/.exec(line.text);
  return m ? { key: m[1], rest: (m[2] ?? '').trim() } : undefined;
}

const YAML11_ONLY = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|0[0-7]+|[-+]?[\d_]*_[\d_]*(\.\d*)?|\d+(:[0-5]?\d)+(\.\d*)?)$/;

function scalar(line: Line, raw: string): YamlValue {
  const fail = (message: string): never => {
    throw new YamlError(`line ${line.no}: ${message}: ${raw}`);
  };
  if (raw.startsWith("'") || raw.startsWith('"')) {
    const q = raw[0];
    const m = (q === "'" ? /^'((?:[^']|'')*)'\s*(#.*)?$/ : /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/).exec(raw) ?? fail('unterminated or trailing text after a quoted scalar');
    const body = m[1];
    if (q === "'") return body.replace(/''/g, "'");
    return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/' })[c] ?? fail(`unsupported escape \\${c}`));
  }
  const text = raw.replace(/\s+#.*$/, '').trim();
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (/^[[\]{}&*!|>%@`,?]/.test(text) || text.startsWith('- ')) fail('flow collections, anchors, tags and indicators are not supported');
  if (/: |\s#/.test(text)) fail('ambiguous plain scalar: quote it');
  if (YAML11_ONLY.test(text)) fail('YAML 1.1 and 1.2 read this differently: quote it');
  if (/^(null|Null|NULL|~)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}
