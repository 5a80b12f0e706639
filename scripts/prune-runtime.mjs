// Removes from a production install what the running server never reads, after `npm prune
// --omit=dev`: other platforms' prebuilt native binaries and native build leftovers (C/C++
// sources, object files, the isolated-vm tarball of itself), TypeScript sources and declarations
// (Node does not strip types under node_modules, so no .ts there can run), source maps, docs,
// changelogs and the test/example folders at a package's root, and @types packages. Used by the
// Dockerfile's build stage and by scripts/container-layout.ts (npm run check:container), so the
// check measures and starts exactly the tree the image ships.
//
// Native binaries: which one is loaded is asked of the package's own loader (node-gyp-build,
// better-sqlite3's binding.js) under the Node that runs this script, which is the image's own Node
// (same libc and architecture) in the Dockerfile. A package whose loader is unknown keeps them all.
//
// Usage: node scripts/prune-runtime.mjs <app dir>   (prunes <app>/node_modules; source maps in
// <app>/dist and <app>/panel/dist too). Prints what it removed.
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative, resolve, sep } from 'node:path';

const DOC_FILE = /^(readme|changelog|changes|history|authors|contributors|contributing|code_of_conduct|security|upgrading|migrating)(\.(md|markdown|txt|rst))?$/i;
const DROPPED_EXT = /(\.d\.[mc]?ts|\.[mc]?ts|\.map|\.md|\.markdown|\.tsbuildinfo|\.js\.flow|\.tgz|\.c|\.cc|\.cpp|\.cxx|\.h|\.hh|\.hpp|\.gyp|\.gypi|\.o|\.a|\.mk)$/i;
const ROOT_DIRS = new Set(['test', 'tests', '__tests__', 'example', 'examples', 'docs', 'doc', 'benchmark', 'benchmarks', 'bench', '.github', 'coverage']);

/** Directories of installed packages (scoped and nested ones included). */
function packages(nodeModules) {
  const found = [];
  for (const e of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === '.bin') continue;
    const dirs = e.name.startsWith('@') ? readdirSync(join(nodeModules, e.name)).map((s) => join(nodeModules, e.name, s)) : [join(nodeModules, e.name)];
    for (const dir of dirs) {
      if (!existsSync(join(dir, 'package.json'))) continue;
      found.push(dir);
      if (existsSync(join(dir, 'node_modules'))) found.push(...packages(join(dir, 'node_modules')));
    }
  }
  return found;
}

/** Files under `dir`, not descending into nested node_modules (they are packages of their own). */
function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...files(p));
    } else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The native binary the package's loader picks on this Node, or undefined when it cannot tell. */
function loadedBinary(pkg, name) {
  const req = createRequire(join(pkg, 'package.json'));
  try {
    if (name === 'better-sqlite3') {
      for (const b of ['Debug', 'Release']) if (existsSync(join(pkg, 'build', b, 'better_sqlite3.node'))) return join(pkg, 'build', b, 'better_sqlite3.node');
      return req(join(pkg, 'lib', 'binding.js')).getPrebuildPath() ?? undefined;
    }
    const pj = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    if (pj.dependencies?.['node-gyp-build']) return req('node-gyp-build/node-gyp-build.js').resolve(pkg);
  } catch {
    // unknown: keep every binary
  }
  return undefined;
}

export function pruneRuntime(appDir) {
  const app = resolve(appDir);
  const removed = { files: 0, bytes: 0 };
  const drop = (p) => {
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st) return;
    removed.bytes += st.isDirectory() ? treeBytes(p) : st.size;
    removed.files += 1;
    rmSync(p, { recursive: true, force: true });
  };
  const nodeModules = join(app, 'node_modules');
  for (const pkg of existsSync(nodeModules) ? packages(nodeModules) : []) {
    const name = relative(nodeModules, pkg).split(`${sep}node_modules${sep}`).at(-1).split(sep).join('/');
    if (name.startsWith('@types/')) {
      drop(pkg);
      continue;
    }
    for (const d of readdirSync(pkg)) if (ROOT_DIRS.has(d.toLowerCase()) && statSync(join(pkg, d)).isDirectory()) drop(join(pkg, d));
    const all = files(pkg);
    const binaries = all.filter((f) => f.endsWith('.node'));
    if (binaries.length > 0) {
      // Prebuilt binaries: keep the one the loader picks. Compiled ones: keep build/<config>/*.node,
      // never the intermediate copies under obj.target.
      const loaded = binaries.some((f) => f.includes(`${sep}prebuilds${sep}`)) ? loadedBinary(pkg, name) : undefined;
      for (const f of binaries) {
        const inBuild = /[\\/]build[\\/](Release|Debug)[\\/][^\\/]+\.node$/.test(f);
        if (f.includes(`${sep}prebuilds${sep}`) ? loaded !== undefined && f !== loaded : !inBuild && f.includes(`${sep}build${sep}`)) drop(f);
      }
      for (const f of all) if (f.includes(`${sep}build${sep}`) && !f.endsWith('.node') && !f.endsWith('.js') && !f.endsWith('.json')) drop(f);
    }
    for (const f of all) if (existsSync(f) && (DROPPED_EXT.test(f) || DOC_FILE.test(basename(f)))) drop(f);
    removeEmptyDirs(pkg);
  }
  for (const d of ['dist', 'panel/dist']) {
    if (existsSync(join(app, d))) for (const f of files(join(app, d))) if (f.endsWith('.map')) drop(f);
  }
  return removed;
}

function treeBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}

function removeEmptyDirs(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && e.name !== 'node_modules') removeEmptyDirs(join(dir, e.name));
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}

if (process.argv[1] && basename(process.argv[1]) === 'prune-runtime.mjs') {
  const app = process.argv[2];
  if (!app || !existsSync(join(app, 'package.json'))) {
    console.error('usage: node scripts/prune-runtime.mjs <app dir with package.json and node_modules>');
    process.exit(2);
  }
  const r = pruneRuntime(resolve(app));
  console.log(`prune-runtime: removed ${r.files} files and folders, ${(r.bytes / 1e6).toFixed(1)} MB, from ${join(app, 'node_modules')}`);
}
