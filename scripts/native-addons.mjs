// Native addons must be built for the Node that runs them. `npm install` may run under an
// older system Node (the machines we target ship Node 20), so after install we make sure
// better-sqlite3 and isolated-vm load under the Node 24 that the scripts use (the `node`
// package's binary, first on PATH inside npm scripts), and rebuild them against its headers if not.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundledNode = join(root, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
const bundledBin = join(bundledNode, 'bin', 'node');
const nodeBin = existsSync(bundledBin) ? bundledBin : process.execPath;

const probes = {
  'better-sqlite3': "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()",
  'isolated-vm': "new (require('isolated-vm').Isolate)({ memoryLimit: 8 }).dispose()",
};

function loads(name) {
  const r = spawnSync(nodeBin, ['--no-node-snapshot', '-e', probes[name]], { cwd: root, encoding: 'utf8' });
  return r.status === 0;
}

const major = Number(execFileSync(nodeBin, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim());
if (major < 24) {
  console.error(`wactorz needs Node.js 24 or newer; found ${major} at ${nodeBin}.`);
  process.exit(1);
}

const broken = Object.keys(probes).filter((name) => existsSync(join(root, 'node_modules', name)) && !loads(name));
if (broken.length === 0) process.exit(0);

console.log(`Rebuilding ${broken.join(', ')} for Node ${major} (${nodeBin}) ...`);
const env = { ...process.env, PATH: `${dirname(nodeBin)}:${process.env.PATH ?? ''}` };
if (existsSync(join(bundledNode, 'include'))) env.npm_config_nodedir = bundledNode;
const npm = spawnSync('npm', ['rebuild', ...broken], { cwd: root, env, stdio: 'inherit' });
if (npm.status !== 0) process.exit(npm.status ?? 1);
const still = broken.filter((name) => !loads(name));
if (still.length > 0) {
  console.error(`Still not loadable under Node ${major}: ${still.join(', ')}`);
  process.exit(1);
}
