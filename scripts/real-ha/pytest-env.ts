// The companion integration's pytest (addon/integration/) runs on the real-HA venv's Python 3.14:
// `ensurePytestEnv` adds pytest-homeassistant-custom-component (whose release pins exactly the
// homeassistant of HA_VERSION) and ruff to that venv under HA's constraints file, once per pin;
// `runPytest` / `runRuff` copy the integration under the root (the chroot cannot see the checkout)
// and run there. Results come back from pytest's JUnit XML, one entry per test.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { REPO_ROOT, type RealHaPaths } from './paths.ts';
import { HA_VERSION } from './pin.ts';
import { CA_IN_ROOT } from './rootfs.ts';
import { chrootEnv, run } from './run.ts';
import { requireTool } from './tools.ts';

/** The newest release pinning homeassistant==HA_VERSION (its requirements name it exactly). */
export const PHCC_VERSION = '0.13.375';
export const RUFF_VERSION = '0.17.6';
const REQUIREMENTS = [`pytest-homeassistant-custom-component==${PHCC_VERSION}`, `ruff==${RUFF_VERSION}`];

const INTEGRATION_SOURCE = join(REPO_ROOT, 'addon', 'integration');
const SKIP = new Set(['__pycache__', '.pytest_cache', '.ruff_cache', 'junit.xml']);

export interface PytestCase {
  /** `tests/test_x.py::test_name`, as pytest prints it. */
  name: string;
  outcome: 'passed' | 'failed' | 'error' | 'skipped';
  /** The failure's message and traceback, when it did not pass. */
  message?: string;
}

export interface PytestRun {
  cases: PytestCase[];
  exitCode: number;
  /** pytest's own output (the tail of it), for a failure's context. */
  output: string;
}

export interface CheckRun {
  exitCode: number;
  output: string;
}

function pipEnv(): NodeJS.ProcessEnv {
  return chrootEnv({ PIP_CERT: CA_IN_ROOT, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PIP_PROGRESS_BAR: 'off' });
}

export async function ensurePytestEnv(paths: RealHaPaths, log: (line: string) => void): Promise<void> {
  const chroot = requireTool('chroot');
  const marker = join(paths.cacheDir, 'pytest-env.json');
  const wanted = JSON.stringify({ version: HA_VERSION, requirements: REQUIREMENTS });
  const python = `${paths.venvInRoot}/bin/python`;
  if (!existsSync(join(paths.root, python))) throw new Error(`No venv at ${paths.venvInRoot} in ${paths.root}: provision the real HA first (npm run ha:real).`);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted && existsSync(join(paths.root, paths.venvInRoot, 'bin', 'ruff'))) return;
  mkdirSync(dirname(paths.provisionLog), { recursive: true });
  log(`installing ${REQUIREMENTS.join(' ')} into the real-HA venv (a few minutes on a cold cache)`);
  // HA's constraints keep pip from moving anything HA itself pinned; phcc's own pins agree with them.
  const constraints = `${paths.venvInRoot}/package_constraints.txt`;
  await run(chroot, [paths.root, `${paths.venvInRoot}/bin/pip`, 'install', '--prefer-binary', '-c', constraints, ...REQUIREMENTS], { env: pipEnv(), logFile: paths.provisionLog });
  writeFileSync(marker, wanted);
}

/** Where the copy of addon/integration lives, as seen inside the root (per checkout, like the HA config). */
export function integrationInRoot(paths: RealHaPaths): string {
  return join(dirname(paths.configInRoot), 'integration');
}

/** A fresh copy of the integration and its tests under the root; returns its path inside the root. */
function stageIntegration(paths: RealHaPaths, source: string): string {
  const inRoot = integrationInRoot(paths);
  const onHost = join(paths.root, inRoot);
  rmSync(onHost, { recursive: true, force: true });
  mkdirSync(dirname(onHost), { recursive: true });
  cpSync(source, onHost, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  return inRoot;
}

/** Runs a command inside the root from `cwd`, returning its exit code instead of throwing on one. */
function runIn(paths: RealHaPaths, cwd: string, argv: readonly string[]): Promise<CheckRun> {
  const chroot = requireTool('chroot');
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `cd '${cwd}' && exec ${quoted}`;
  appendFileSync(paths.provisionLog, `\n$ (in ${cwd}) ${argv.join(' ')}\n`);
  const env = chrootEnv({ PATH: `${paths.venvInRoot}/bin:/usr/sbin:/usr/bin:/sbin:/bin`, PYTHONDONTWRITEBYTECODE: '1' });
  return new Promise((resolve, reject) => {
    const child = spawn(chroot, [paths.root, '/bin/sh', '-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-200_000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (err) => reject(new Error(`cannot run ${chroot}: ${err.message}`)));
    child.once('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), output }));
  });
}

export interface PytestOptions {
  /** The integration folder to test (addon/integration of this checkout by default). */
  source?: string;
  /** Extra pytest arguments (a -k filter, a single file). */
  args?: readonly string[];
}

export async function runPytest(paths: RealHaPaths, { source = INTEGRATION_SOURCE, args = [] }: PytestOptions = {}): Promise<PytestRun> {
  const dir = stageIntegration(paths, source);
  const junit = `${dir}/junit.xml`;
  const { exitCode, output } = await runIn(paths, dir, ['python', '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '-o', 'junit_family=xunit2', `--junitxml=${junit}`, ...args]);
  const xmlPath = join(paths.root, junit);
  if (!existsSync(xmlPath)) throw new Error(`pytest wrote no report (exit ${exitCode}); its output:\n${output.split('\n').slice(-40).join('\n')}`);
  return { cases: parseJunit(readFileSync(xmlPath, 'utf8')), exitCode, output: output.split('\n').slice(-200).join('\n') };
}

/** `ruff check` and `ruff format --check` over the integration and its tests. */
export async function runRuff(paths: RealHaPaths, source: string = INTEGRATION_SOURCE): Promise<CheckRun> {
  const dir = stageIntegration(paths, source);
  const check = await runIn(paths, dir, ['ruff', 'check', '--no-cache', '--output-format', 'concise', '.']);
  const format = await runIn(paths, dir, ['ruff', 'format', '--no-cache', '--check', '.']);
  return { exitCode: check.exitCode || format.exitCode, output: `${check.output}${format.output}` };
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };

function decode(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (m) => {
    if (m.startsWith('&#x')) return String.fromCodePoint(Number.parseInt(m.slice(3, -1), 16));
    if (m.startsWith('&#')) return String.fromCodePoint(Number.parseInt(m.slice(2, -1), 10));
    return ENTITIES[m] ?? m;
  });
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1] ?? '') : undefined;
}

/** The test cases of a pytest JUnit report (xunit2): pytest writes flat, regular XML. */
export function parseJunit(xml: string): PytestCase[] {
  const cases: PytestCase[] = [];
  const re = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const head = m[1] ?? '';
    const body = m[3] ?? '';
    const classname = attr(head, 'classname') ?? '';
    const file = classname.split('.').join('/');
    const name = `${file}.py::${attr(head, 'name') ?? '?'}`;
    const problem = /<(failure|error|skipped)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    if (!problem) {
      cases.push({ name, outcome: 'passed' });
      continue;
    }
    const kind = problem[1] === 'failure' ? 'failed' : problem[1] === 'error' ? 'error' : 'skipped';
    const message = [attr(problem[2] ?? '', 'message'), decode(problem[3] ?? '')].filter(Boolean).join('\n');
    cases.push({ name, outcome: kind, message });
  }
  return cases;
}
