// Builds the panel when its output is missing or older than its sources, so `npm start` and
// `npm test` serve the current panel without a separate build step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const panel = join(root, 'panel');
const built = join(panel, 'dist', 'index.html');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sourcesTime = Math.max(newest(join(panel, 'src')), statSync(join(panel, 'index.html')).mtimeMs, statSync(join(panel, 'vite.config.ts')).mtimeMs);
if (existsSync(built) && statSync(built).mtimeMs >= sourcesTime) process.exit(0);
console.log('Building the panel ...');
const r = spawnSync('npx', ['--no-install', 'vite', 'build', '--config', 'panel/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
