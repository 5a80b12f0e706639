// The manifest tests are only as good as the YAML reader under them: it must read what the
// Supervisor (PyYAML) reads, and refuse what it cannot read faithfully.
import { describe, expect, it } from 'vitest';
import { parseYaml, YamlError } from './yaml-lite.ts';

describe('parseYaml', () => {
  it('reads mappings, sequences, scalars and comments as PyYAML does', () => {
    const doc = parseYaml(
      [
        '# leading comment',
        'name: Wactorz   # trailing comment',
        'version: "0.1.0"',
        'init: false',
        'timeout: 20',
        'ratio: 2.5',
        'empty:',
        'nothing: ~',
        'arch:',
        '  - aarch64',
        '  - amd64',
        'services:',
        '- mqtt:need',
        'schema:',
        '  level: list(a|b)?',
        "  topic: 'match(^[a-z]+(/[a-z]+)*$)?'",
        '  nested:',
        '    deep: "quoted \\"x\\""',
        'url: https://example.test/x#frag',
      ].join('\n'),
    );
    expect(doc).toEqual({
      name: 'Wactorz',
      version: '0.1.0',
      init: false,
      timeout: 20,
      ratio: 2.5,
      empty: null,
      nothing: null,
      arch: ['aarch64', 'amd64'],
      services: ['mqtt:need'],
      schema: { level: 'list(a|b)?', topic: 'match(^[a-z]+(/[a-z]+)*$)?', nested: { deep: 'quoted "x"' } },
      url: 'https://example.test/x#frag',
    });
  });

  it('folds and keeps block scalars', () => {
    const doc = parseYaml(['a: >-', '  one', '  two', '', '  three', 'b: |', '  one', '  two', 'c: x'].join('\n'));
    expect(doc).toEqual({ a: 'one two\nthree', b: 'one\ntwo\n', c: 'x' });
  });

  it('refuses what it cannot read faithfully', () => {
    for (const bad of [
      'a: [1, 2]', // flow sequence
      'a: &anchor x', // anchor
      'a: yes', // a boolean in YAML 1.1, a string in 1.2
      'a: 0777', // octal in YAML 1.1
      'a: b: c', // ambiguous plain scalar
      'a: 1\na: 2', // duplicate key
      'a:\n  - k: v', // mapping inside a sequence
      'a: 1\n   b: 2', // stray indentation
      "a: 'unterminated",
      '\ta: 1', // tab indentation
    ]) {
      expect(() => parseYaml(bad), bad).toThrow(YamlError);
    }
  });
});
