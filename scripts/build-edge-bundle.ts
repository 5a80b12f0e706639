// `npm run build:edge`: writes dist/edge-bundle.json, the edge runner and the server files it
// imports, so the compiled server (the add-on image, which carries no TypeScript sources) can
// /deploy it (server/src/agents/nodes/bundle.ts). A JSON file of texts needs no bundler and keeps
// the node's files byte-identical to the sources it runs with type stripping.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleFromSources, EDGE_BUNDLE_FILE, REPO_ROOT } from '../server/src/agents/nodes/bundle.ts';

const out = join(REPO_ROOT, EDGE_BUNDLE_FILE);
const bundle = bundleFromSources();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(bundle));
console.log(`${EDGE_BUNDLE_FILE}: ${Object.keys(bundle.files).length} files`);
