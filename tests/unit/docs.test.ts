// The README is the newcomer's first contact: keep its commands and option table true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../server/src/config/options.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('README', () => {
  it('gives a two-command quick start whose test command is exactly what CI runs', () => {
    const quick = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = quick.split('\n').filter((l) => l.trim()).map((l) => l.replace(/#.*$/, '').trim());
    expect(commands).toEqual(['npm install && npm start', 'npm install && npm test']);
    expect(ci).toContain(`\n${commands[1]}\n`);
  });

  it('documents every configuration option', () => {
    for (const spec of Object.values(OPTIONS)) {
      expect(readme, spec.env).toContain(`\`${spec.env}\``);
      expect(readme, spec.flag).toContain(`\`--${spec.flag}\``);
    }
  });

  it('names scripts that exist', () => {
    for (const script of ['start', 'test', 'bench', 'build', 'cli', 'dev']) expect(pkg.scripts[script], script).toBeDefined();
    expect(pkg.scripts.test).toMatch(/typecheck.*lint.*vitest/);
  });
});
