// The venv inside the Debian root: homeassistant==HA_VERSION under HA's own constraints file
// (package_constraints.txt, shipped in the wheel: without it pip backtracks for minutes), then the
// requirements of every integration the test configuration loads. A marker records what was
// installed, so a second run with the same pin and configuration does nothing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HA_VERSION } from './pin.ts';
import type { RealHaPaths } from './paths.ts';
import { CLOSURE_RULE, DEFAULT_DOMAINS_PY, integrationRequirements } from './requirements.ts';
import { CA_IN_ROOT } from './rootfs.ts';
import { chrootEnv, run } from './run.ts';
import { requireTool } from './tools.ts';

export function sitePackages(paths: RealHaPaths): string {
  const lib = join(paths.root, paths.venvInRoot, 'lib');
  const python = existsSync(lib) ? (readdirSync(lib).find((n) => n.startsWith('python3')) ?? 'python3') : 'python3';
  return join(lib, python, 'site-packages');
}

export async function ensureVenv(paths: RealHaPaths, configDomains: readonly string[], log: (line: string) => void): Promise<void> {
  const chroot = requireTool('chroot');
  const marker = join(paths.cacheDir, 'venv.json');
  const pip = `${paths.venvInRoot}/bin/pip`;
  const python = `${paths.venvInRoot}/bin/python`;
  const env = chrootEnv({ PIP_CERT: CA_IN_ROOT, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PIP_PROGRESS_BAR: 'off' });
  const inRoot = (cmd: string, args: string[]) => run(chroot, [paths.root, cmd, ...args], { env, logFile: paths.provisionLog });
  const previous = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as { version?: string; rule?: number; domains?: string[] }) : {};
  const sameDomains = JSON.stringify(previous.domains ?? []) === JSON.stringify([...configDomains].sort());
  if (previous.version === HA_VERSION && previous.rule === CLOSURE_RULE && sameDomains && existsSync(join(paths.root, python))) return;

  if (!existsSync(join(paths.root, python))) {
    await inRoot('/usr/bin/python3', ['-m', 'venv', paths.venvInRoot]);
  }
  const constraints = `${paths.venvInRoot}/package_constraints.txt`;
  if (previous.version !== HA_VERSION) {
    log(`installing homeassistant==${HA_VERSION} into the venv (a few minutes on a cold cache)`);
    await inRoot(pip, ['install', '--no-deps', `homeassistant==${HA_VERSION}`]);
    writeFileSync(join(paths.root, constraints), readFileSync(join(sitePackages(paths), 'homeassistant', 'package_constraints.txt')));
    await inRoot(pip, ['install', '--prefer-binary', '-c', constraints, `homeassistant==${HA_VERSION}`]);
  }
  const defaults = JSON.parse(await inRoot(python, ['-c', DEFAULT_DOMAINS_PY]).then((out) => out.trim().split('\n').pop() ?? '[]')) as string[];
  const set = integrationRequirements(join(sitePackages(paths), 'homeassistant', 'components'), [...defaults, ...configDomains]);
  if (set.unknown.length > 0) throw new Error(`The test configuration names integrations HA ${HA_VERSION} does not ship: ${set.unknown.join(', ')}`);
  log(`installing the requirements of ${set.domains.length} integrations (${set.requirements.length} packages)`);
  const reqFile = `${paths.venvInRoot}/integration-requirements.txt`;
  writeFileSync(join(paths.root, reqFile), `${set.requirements.join('\n')}\n`);
  await inRoot(pip, ['install', '--prefer-binary', '-c', constraints, '-r', reqFile]);
  writeFileSync(marker, JSON.stringify({ version: HA_VERSION, rule: CLOSURE_RULE, domains: [...configDomains].sort(), requirements: set.requirements }, null, 2));
}
