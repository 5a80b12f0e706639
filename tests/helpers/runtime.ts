// The whole runtime on embedded defaults (embedded broker on a free port, SQLite in `dataDir`,
// the demo home, no LLM, an ephemeral HTTP port), quiet: for tests that restart it over the same
// data dir to see what survives.
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config/load.ts';
import { startRuntime, type Runtime } from '../../server/src/runtime.ts';
import { quietLogger } from './ha.ts';

export async function runtimeIn(dataDir: string): Promise<Runtime> {
  const config = { ...loadConfig({ env: {}, argv: ['--data-dir', dataDir, '--mqtt-embedded-port', '0'], optionsFile: join(dataDir, 'none.json') }), port: 0 };
  return startRuntime({ config, logger: quietLogger() });
}
