// The companion Home Assistant integration (addon/integration/) tested the way HA integrations
// are: pytest with pytest-homeassistant-custom-component, pinned to the same HA release as the
// real-HA tests, on that venv's Python 3.14 inside the Debian root (scripts/real-ha/pytest-env.ts).
// pytest runs once while this file is collected, so each pytest test is one vitest test below
// (its name, its failure message); ruff checks the code style. The root and venv are built here
// when the machine has none yet (CI provisions them first with `npm run ha:real`).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOMAINS } from '../../../scripts/real-ha/ha-config.ts';
import { withLock } from '../../../scripts/real-ha/lock.ts';
import { REPO_ROOT, realHaPaths } from '../../../scripts/real-ha/paths.ts';
import { ensurePytestEnv, runPytest, runRuff, type CheckRun, type PytestRun } from '../../../scripts/real-ha/pytest-env.ts';
import { ensureRoot } from '../../../scripts/real-ha/rootfs.ts';
import { ensureVenv } from '../../../scripts/real-ha/venv.ts';
import { requireBinary } from '../../helpers/tools.ts';

/** What the suite holds today; fewer means tests were lost (a file not collected, say). */
const EXPECTED_AT_LEAST = 61;

async function prepare(): Promise<{ pytest: PytestRun; ruff: CheckRun }> {
  if (process.getuid?.() !== 0) throw new Error('The companion integration tests run pytest inside the real-HA Debian root, which needs root (chroot).');
  requireBinary('debootstrap', ['/usr/sbin/debootstrap']);
  requireBinary('chroot', ['/usr/sbin/chroot']);
  const paths = realHaPaths();
  const log = (line: string) => console.log(`[companion] ${line}`);
  mkdirSync(paths.stateDir, { recursive: true });
  // The same lock as `npm run ha:real`: two pip runs in one venv would trip over each other.
  await withLock(paths.lockDir, 15 * 60_000, async () => {
    await ensureRoot(paths, log);
    await ensureVenv(paths, CONFIG_DOMAINS, log);
    await ensurePytestEnv(paths, log);
  });
  const pytest = await runPytest(paths);
  const ruff = await runRuff(paths);
  return { pytest, ruff };
}

const { pytest, ruff } = await prepare();

describe('companion integration (pytest, HA test harness)', () => {
  it(`collects at least ${EXPECTED_AT_LEAST} tests`, () => {
    console.log(pytest.cases.map((c) => `${c.outcome.padEnd(7)} ${c.name}`).join('\n'));
    expect(pytest.cases.length, pytest.output).toBeGreaterThanOrEqual(EXPECTED_AT_LEAST);
  });

  it.each(pytest.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(c.outcome, c.message ?? '').toBe('passed');
  });

  it('pytest exits cleanly (no error outside a test: collection, teardown)', () => {
    expect(pytest.exitCode, pytest.output).toBe(0);
  });

  it('the integration version is the add-on version (the add-on installs the matching one)', () => {
    const read = (...p: string[]) => JSON.parse(readFileSync(join(REPO_ROOT, ...p), 'utf8')) as { version: string };
    expect(read('addon', 'integration', 'custom_components', 'wactorz', 'manifest.json').version).toBe(read('package.json').version);
  });

  it('ruff check and ruff format --check are clean', () => {
    expect(ruff.exitCode, ruff.output).toBe(0);
  });
});
