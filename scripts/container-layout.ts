// The image's /opt/wactorz, made here without Docker (npm run check:container): the Dockerfile's
// own build-stage steps after `npm run build` (drop the `node` package, prune to production
// dependencies, then scripts/prune-runtime.mjs, the Dockerfile's own pruning), then exactly the paths its runtime stage copies into
// /opt/wactorz, read from its COPY lines so the two cannot drift apart. The s6 run script is read
// the same way: its exports and its exec line are what the check starts.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const RUN_SCRIPT = 'addon/rootfs/etc/s6-overlay/s6-rc.d/wactorz/run';
const APP = '/opt/wactorz';

/** `COPY --from=build /app/<path> ./<path>` lines of the runtime stage. */
export function copiedPaths(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^COPY --from=build \/app\/(\S+) \.\/(\S+)$/gm)].map((m) => {
    if (m[1] !== m[2]) throw new Error(`COPY ${m[1]} ./${m[2]}: the check expects the same path on both sides`);
    return m[1];
  });
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status ?? r.signal})`);
}

/**
 * Lays out <tmp>/opt/wactorz from the built repository; returns its path. The build stage is
 * <tmp>/app: package files and a copy of node_modules (without the `node` package, as the
 * Dockerfile removes it), pruned by npm itself.
 */
export function layOut(repo: string, tmp: string): string {
  const app = join(tmp, 'app');
  for (const f of ['package.json', 'package-lock.json']) cpSync(join(repo, f), join(app, f));
  cpSync(join(repo, 'node_modules'), join(app, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
    // A fresh `npm ci` in the image has neither the `node` package's binary (removed there) nor the
    // tool caches (.vite, .vitest-cache) that a developer's node_modules collects.
    filter: (src) => {
      const rel = relative(repo, src);
      if (rel === 'node_modules/node' || rel === 'node_modules/.bin/node') return false;
      return !/^node_modules\/\.(?!bin$|package-lock\.json$)[^/]+$/.test(rel);
    },
  });
  run('npm', ['prune', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], app);
  run(process.execPath, [join(repo, 'scripts/prune-runtime.mjs'), app], app);

  const opt = join(tmp, APP);
  for (const path of copiedPaths(readFileSync(join(repo, 'Dockerfile'), 'utf8'))) {
    const from = join(path === 'node_modules' ? app : repo, path);
    if (!existsSync(from)) throw new Error(`${from} is missing (the Dockerfile copies ${path}; did npm run build run?)`);
    cpSync(from, join(opt, path), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith('.map') });
  }
  rmSync(app, { recursive: true, force: true });
  return opt;
}

/** The run script's exports (with /data moved under `dataDir`) and its exec'd command line. */
export function runScript(repo: string, dataDir: string): { env: Record<string, string>; argv: string[]; cwd: string } {
  const text = readFileSync(join(repo, RUN_SCRIPT), 'utf8');
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(\S+)$/gm)) env[m[1]] = m[2].replace(/^\/data(?=\/|$)/, dataDir);
  const exec = /^exec (.+)$/m.exec(text)?.[1];
  const cd = /^cd (\S+)/m.exec(text)?.[1];
  if (!exec || cd !== APP) throw new Error(`${RUN_SCRIPT}: expected "cd ${APP}" and an exec line`);
  return { env, argv: exec.split(/\s+/), cwd: cd };
}

/** Bytes of every file under `dir` (apparent size; symlinks counted as links). */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  }
  return total;
}

/** The largest top-level packages of a node_modules, in MB, for the report. */
export function largestPackages(nodeModules: string, n = 6): [string, number][] {
  const sizes: [string, number][] = [];
  for (const e of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === '.bin') continue;
    const names = e.name.startsWith('@') ? readdirSync(join(nodeModules, e.name)).map((s) => `${e.name}/${s}`) : [e.name];
    for (const name of names) sizes.push([name, treeBytes(join(nodeModules, name)) / 1e6]);
  }
  return sizes.sort((a, b) => b[1] - a[1]).slice(0, n);
}

/** Packages the lock file marks dev-only that are in the tree (npm keeps a dev dependency a production one needs). */
export function devOnlyPackages(opt: string, lockFile: string): string[] {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, p]) => p.dev === true && existsSync(join(opt, path)))
    .map(([path]) => path);
}

/** Files a production tree must not carry: source maps, declarations, self-tarballs, test folders at its root. */
export function strayFiles(opt: string): string[] {
  const stray: string[] = [];
  for (const e of readdirSync(opt, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.(map|d\.[mc]?ts|tgz)$/.test(e.name)) stray.push(relative(opt, join(e.parentPath, e.name)));
  }
  for (const d of ['tests', 'server/src', 'edge-runner', 'bench']) if (existsSync(join(opt, d))) stray.push(d);
  return stray;
}
