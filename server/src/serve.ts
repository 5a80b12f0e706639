// The server's life as a process: load configuration, start the runtime, stop gracefully on
// SIGTERM/SIGINT. Loaded by main.ts once the Node version is known to be right.
import { ConfigError, loadConfig, redactConfig } from './config/load.ts';
import type { Config } from './config/types.ts';
import { createLogger } from './logger.ts';
import { startRuntime } from './runtime.ts';
import { DataDirLockedError, lockDataDir, type DataDirLock } from './store/data-dir-lock.ts';
import { explainStartupError } from './startup-errors.ts';

let config: Config | undefined;

async function main(): Promise<number> {
  try {
    config = loadConfig({ argv: process.argv.slice(2) });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const lock = takeDataDir(config);
  if (lock === null) return 1;
  const logger = createLogger(config.logLevel);
  logger.debug({ config: redactConfig(config) }, 'configuration');
  let runtime;
  try {
    runtime = await startRuntime({ config, logger });
  } catch (err) {
    lock?.release();
    throw err;
  }

  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  // A stuck close must not keep the container from stopping: the Supervisor kills after 10 s.
  const watchdog = setTimeout(() => {
    logger.error('shutdown took longer than 8 s; exiting');
    process.exit(1);
  }, 8_000);
  watchdog.unref();
  await runtime.stop();
  lock?.release();
  logger.info('stopped');
  return 0;
}

/**
 * One process per data directory (a CLI --local beside a running server would run every agent
 * twice). The add-on is one process by construction, and a container restart reuses pids, so a
 * lock left in /data could name a live stranger: it takes none there (undefined).
 */
function takeDataDir(c: Config): DataDirLock | undefined | null {
  if (c.inAddon) return undefined;
  try {
    return lockDataDir(c.dataDir, 'npm start');
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    console.error(err.message);
    return null;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(explainStartupError(err, { supervisorToken: config?.supervisorToken !== undefined }));
    process.exitCode = 1;
  },
);
