import { describe, expect, it } from 'vitest';
import { decodeEscapes, parseLenientJson } from '../../../../server/src/agents/spawn-config/lenient-json.ts';

const SPAWN = {
  longTextKeys: new Set(['code', 'description']),
  verbatimKeys: new Set(['code']),
  knownKeys: new Set(['name', 'type', 'code', 'description', 'poll_interval']),
};

function value(text: string): unknown {
  const r = parseLenientJson(text, SPAWN);
  if (!r.ok) throw new Error(`${r.message} at ${r.line}:${r.column}`);
  return r.value;
}

describe('parseLenientJson', () => {
  it('returns strict JSON untouched, with no repairs', () => {
    expect(parseLenientJson('{"a": [1, "x\\ny"]}', SPAWN)).toEqual({ ok: true, value: { a: [1, 'x\ny'] }, repairs: [] });
  });

  it('accepts raw newlines and tabs inside strings', () => {
    expect(value('{"code": "line1\n\tline2", "name": "a"}')).toEqual({ code: 'line1\n\tline2', name: 'a' });
  });

  it('finds the real end of code holding unescaped quotes and braces', () => {
    const code = 'const o = {"x": "a", "y": "}"};\nagent.log("done: " + o.y)';
    expect(value(`{"name": "a", "code": "${code}", "type": "dynamic"}`)).toEqual({ name: 'a', code, type: 'dynamic' });
  });

  it('prefers a cut before a known field over one before an unknown key inside the code', () => {
    const code = 'const m = {"kind": "a", "type": 1}; go()';
    expect(value(`{"code": "${code}", "poll_interval": 5}`)).toEqual({ code, poll_interval: 5 });
  });

  it('handles code as the last field, with a trailing comma', () => {
    expect(value('{"name": "a", "code": "if (x) { y("}") }",\n}')).toEqual({ name: 'a', code: 'if (x) { y("}") }' });
  });

  it('keeps JS escapes in pasted multi-line code, decodes them in one-line JSON code', () => {
    // Raw quotes in the code: nothing was JSON-escaped, everything stays as written.
    expect(value('{"code": "const re = /\\d+/;\nlog("a\\nb \\"q\\"")"}')).toEqual({ code: 'const re = /\\d+/;\nlog("a\\nb \\"q\\"")' });
    // Every quote escaped: the model JSON-escaped all but the newlines; \n stays a JS escape.
    expect(value('{"code": "const re = /\\\\d+/;\nlog(\\"a\\nb\\")"}')).toEqual({ code: 'const re = /\\d+/;\nlog("a\\nb")' });
    expect(value('{"code": "log(\\"hi\\");\\nx()", "x": 1,}')).toEqual({ code: 'log("hi");\nx()', x: 1 });
  });

  it('reads single quotes, unquoted keys, Python literals, comments and trailing commas', () => {
    const r = parseLenientJson("{\n  // the agent\n  'name': 'a', replace: True, node: None, /* x */ ok: False, list: [1, 2,],\n}", SPAWN);
    expect(r).toMatchObject({ ok: true, value: { name: 'a', replace: true, node: null, ok: false, list: [1, 2] } });
    if (r.ok) expect(r.repairs).toEqual(expect.arrayContaining(['read single-quoted strings', 'read unquoted field names', 'read True as true', 'read None as null', 'skipped comments']));
  });

  it('reads triple-quoted code verbatim', () => {
    expect(value('{"name": "a", "code": """\nasync function setup(agent) {\n  await agent.log("ready\\n")\n}\n"""}')).toEqual({
      name: 'a',
      code: 'async function setup(agent) {\n  await agent.log("ready\\n")\n}\n',
    });
  });

  it('adds a missing comma between lines and a missing closing brace at the end', () => {
    expect(value('{"name": "a"\n "type": "dynamic"')).toEqual({ name: 'a', type: 'dynamic' });
  });

  it('does not let a "__proto__" key reach the prototype', () => {
    const v = value("{'__proto__': {'polluted': 1}}") as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
  });

  it('reports what is wrong and where', () => {
    expect(parseLenientJson('{"name": "a",\n "poll_interval": 30 30}', SPAWN)).toMatchObject({
      ok: false,
      message: 'expected "," or "}" after the value of "poll_interval"',
      line: 2,
      column: 22,
    });
    expect(parseLenientJson('{"name": "a", "code": "never ends', SPAWN)).toMatchObject({ ok: false, message: 'unterminated string in "code"' });
    expect(parseLenientJson('{"name": hello}', SPAWN)).toMatchObject({ ok: false, message: expect.stringContaining('strings need quotes') as string });
    expect(parseLenientJson('{"a": 1} extra', SPAWN)).toMatchObject({ ok: false, message: 'unexpected text after the end of the JSON value' });
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(parseLenientJson(`${'['.repeat(1000)}${']'.repeat(999)}`, SPAWN)).toMatchObject({ ok: false, message: 'nested deeper than 64 levels' });
  });

  it('parses a large code string full of quotes', () => {
    const line = 'agent.log("x", {"a": "b"}); const s = \'}\';\n';
    const code = line.repeat(3000);
    expect(value(`{"name": "big", "code": "${code}", "type": "dynamic"}`)).toEqual({ name: 'big', code, type: 'dynamic' });
  });
});

describe('decodeEscapes', () => {
  it('decodes JSON escapes and keeps unknown ones', () => {
    expect(decodeEscapes('a\\nb\\t\\"q\\" \\u00e9 \\d')).toBe('a\nb\t"q" é \\d');
  });
});
