// Entry point: load configuration, start the runtime, stop gracefully on SIGTERM/SIGINT.
import { ConfigError, loadConfig, redactConfig } from './config/load.ts';
import { createLogger } from './logger.ts';
import { startRuntime } from './runtime.ts';

const MIN_NODE_MAJOR = 24;

async function main(): Promise<number> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    console.error(`Wactorz needs Node.js ${MIN_NODE_MAJOR} or newer (this is ${process.version}). Run it with \`npm start\`, which uses the Node ${MIN_NODE_MAJOR} that \`npm install\` brings.`);
    return 1;
  }
  let config;
  try {
    config = loadConfig({ argv: process.argv.slice(2) });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  logger.debug({ config: redactConfig(config) }, 'configuration');
  const runtime = await startRuntime({ config, logger });

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
  logger.info('stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE' && e.syscall === 'listen') {
      console.error(`Wactorz failed to start: port ${e.port ?? ''} is already in use. Stop what holds it, or set WACTORZ_PORT (or --port) to a free port.`);
    } else {
      console.error(err instanceof Error ? `Wactorz failed to start: ${err.message}` : err);
    }
    process.exitCode = 1;
  },
);
