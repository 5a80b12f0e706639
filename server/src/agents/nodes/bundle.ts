// What a node gets: the edge runner and exactly the server files it imports (the sandbox and a few
// bus-free helpers), found by walking the relative imports from edge-runner/src/main.ts, so the
// bundle can never miss a file nor carry the rest of the server. Type-only imports are skipped:
// Node strips them, and they would drag in modules (the MQTT bus) the edge never runs.
//
// Where the bundle comes from follows one rule: running from the TypeScript sources (npm start,
// tests), the sources are walked now, so an edit is deployed at once; running as compiled
// JavaScript (dist/, the add-on image), the bundle is dist/edge-bundle.json, written by
// `npm run build` (scripts/build-edge-bundle.ts), because the image carries no sources.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// server/src/agents/nodes and dist/server/agents/nodes both sit four levels below the root.
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The built bundle, relative to the application root. */
export const EDGE_BUNDLE_FILE = 'dist/edge-bundle.json';
const ENTRY = 'edge-runner/src/main.ts';
const IMPORT = /^\s*(import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+\.ts)['"]/gm;

/** Bundle-relative path -> file text; the TypeScript sources run as they are on the node's Node 24. */
export interface EdgeBundle {
  format: 1;
  files: Record<string, string>;
}

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

/** The bundle read from the sources, with a package.json at its root (npm install runs there). */
export function bundleFromSources(repoRoot: string = REPO_ROOT): EdgeBundle {
  const files: Record<string, string> = {};
  for (const f of edgeBundleFiles(repoRoot)) files[f] = readFileSync(join(repoRoot, f), 'utf8');
  files['package.json'] = files['edge-runner/package.json']!;
  return { format: 1, files };
}

/** The bundle `npm run build` wrote; a missing or foreign file says how to make it. */
export function readBuiltBundle(file: string = join(REPO_ROOT, EDGE_BUNDLE_FILE)): EdgeBundle {
  let parsed: Partial<EdgeBundle>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EdgeBundle>;
  } catch (err) {
    throw new Error(`The edge-runner bundle ${file} is missing or unreadable (npm run build writes it): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (parsed.format !== 1 || typeof parsed.files !== 'object' || parsed.files === null || !(ENTRY in parsed.files)) throw new Error(`${file} is not an edge-runner bundle of format 1 (rebuild with npm run build)`);
  return parsed as EdgeBundle;
}

/** The bundle this process deploys, by the rule above. */
export function currentBundle(): EdgeBundle {
  return import.meta.url.endsWith('.ts') ? bundleFromSources() : readBuiltBundle();
}

/** The bundle's files, sorted; a path that would leave the install dir (a hand-edited bundle) is refused. */
export function bundleEntries(bundle: EdgeBundle = currentBundle()): [path: string, text: string][] {
  return Object.keys(bundle.files)
    .sort()
    .map((f) => {
      if (isAbsolute(f) || normalize(f).split(/[\\/]/)[0] === '..') throw new Error(`edge bundle path escapes the bundle: ${f}`);
      return [f, bundle.files[f]];
    });
}

/** Writes the bundle's files under `dir`; returns their bundle-relative paths. */
export function writeEdgeBundle(dir: string, bundle: EdgeBundle = currentBundle()): string[] {
  const entries = bundleEntries(bundle);
  for (const [f, text] of entries) {
    const target = resolve(dir, f);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return entries.map(([f]) => f);
}
