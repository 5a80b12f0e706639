// What a node gets: the edge runner and exactly the server files it imports (the sandbox and a few
// bus-free helpers), found by walking the relative imports from edge-runner/src/main.ts, so the
// bundle can never miss a file nor carry the rest of the server. Type-only imports are skipped:
// Node strips them, and they would drag in modules (the MQTT bus) the edge never runs.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const ENTRY = 'edge-runner/src/main.ts';
const IMPORT = /^\s*(import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+\.ts)['"]/gm;

/** Repository-relative paths of every file the edge runner loads at run time. */
export function edgeBundleFiles(repoRoot: string = REPO_ROOT): string[] {
  const seen = new Set<string>();
  const visit = (rel: string) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const text = readFileSync(join(repoRoot, rel), 'utf8');
    for (const m of text.matchAll(IMPORT)) visit(relative(repoRoot, resolve(repoRoot, dirname(rel), m[2])));
  };
  visit(ENTRY);
  return [...seen, 'edge-runner/package.json'].sort();
}

/** Copies the bundle to `dir` with a package.json at its root (npm install runs there). */
export function writeEdgeBundle(dir: string, repoRoot: string = REPO_ROOT): string[] {
  const files = edgeBundleFiles(repoRoot);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(repoRoot, f), join(dir, f));
  }
  writeFileSync(join(dir, 'package.json'), readFileSync(join(repoRoot, 'edge-runner/package.json')));
  return [...files, 'package.json'];
}
