// `npm run ha:real`: provisions (when needed) and starts the real Home Assistant of the pinned
// version in the background, returns once it answers, and writes .real-ha/connection.json.
// `npm run ha:real -- --stop` stops it. See README "Against a real Home Assistant".
import { ensureRealHa, stopRealHa } from './real-ha/real-ha.ts';
import { realHaPaths } from './real-ha/paths.ts';

const paths = realHaPaths();
const started = Date.now();
const log = (line: string) => console.log(`[ha:real ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
try {
  if (process.argv.includes('--stop')) {
    console.log((await stopRealHa(paths)) ? 'Home Assistant stopped.' : 'Home Assistant was not running.');
  } else {
    const c = await ensureRealHa({ paths, log });
    log(`Home Assistant ${c.version} answers at ${c.url}`);
    console.log(`connection: ${paths.connectionFile}\nrun the product against it:\n  HA_URL=${c.url} HA_TOKEN=$(node -p "require('./.real-ha/connection.json').token") npm start`);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
