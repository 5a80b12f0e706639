// CI's contract (.ci/run): the README's test command, then the container-equivalent check, one
// final "N passed, N failed" line counting both; and the check reads the image's layout and
// start command from the Dockerfile and the s6 run script themselves.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copiedPaths, runScript } from '../../scripts/container-layout.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const root = new URL('../..', import.meta.url).pathname;
const ci = readFileSync(join(root, '.ci/run'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('.ci/run', () => {
  it('runs the container check after the README test command and counts it in the one summary line', () => {
    expect(pkg.scripts['check:container']).toBeDefined();
    expect(ci.indexOf('\nnpm run check:container\n')).toBeGreaterThan(ci.indexOf('\nnpm install && npm test\n'));
    const summaries = [...ci.matchAll(/^node scripts\/test-summary\.mjs (.*)$/gm)].map((m) => m[1]);
    expect(summaries).toEqual(['test-results/vitest.json "$status" test-results/container-check.json "$container_status"']);
    expect(ci).not.toMatch(/\b(pkill|killall)\b/);
  });
});

describe('test-summary.mjs', () => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  afterEach(() => dir?.cleanup());
  const summary = (...args: string[]) => execFileSync(process.execPath, [join(root, 'scripts/test-summary.mjs'), ...args], { encoding: 'utf8' }).trim().split('\n').at(-1);

  it('adds up the reports, and a red step without a report is one failure', () => {
    dir = makeTempDir();
    const vitest = join(dir.path, 'vitest.json');
    const container = join(dir.path, 'container.json');
    writeFileSync(vitest, JSON.stringify({ numPassedTests: 10, numFailedTests: 0 }));
    writeFileSync(container, JSON.stringify({ numPassedTests: 8, numFailedTests: 1 }));
    expect(summary(vitest, '0', container, '1')).toBe('18 passed, 1 failed');
    expect(summary(vitest, '0', join(dir.path, 'missing.json'), '1')).toBe('10 passed, 1 failed');
    expect(summary(vitest, '0')).toBe('10 passed, 0 failed');
  });
});

describe('container layout', () => {
  it('copies into /opt/wactorz what the Dockerfile copies, and starts what the run script execs', () => {
    expect(copiedPaths(readFileSync(join(root, 'Dockerfile'), 'utf8'))).toEqual(['package.json', 'node_modules', 'dist', 'panel/dist', 'recipes', 'addon/integration/custom_components']);
    const run = runScript(root, '/tmp/x/data');
    expect(run.argv).toEqual(['node', '--no-node-snapshot', '--max-semi-space-size=8', '--optimize-for-size', 'dist/server/main.js']);
    expect(run.env).toMatchObject({ WACTORZ_DATA_DIR: '/tmp/x/data', WACTORZ_OPTIONS_FILE: '/tmp/x/data/options.json', NODE_ENV: 'production' });
  });
});
