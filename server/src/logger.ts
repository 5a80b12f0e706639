// One pino logger for the process (Fastify uses the same instance). Secrets are redacted by
// path so that a stray object in a log line never prints a token or key. A person at a terminal
// (`npm start`) reads pretty lines; anything else (the add-on's log, a pipe) gets JSON lines.
import { pino, type Logger } from 'pino';
import type { Config } from './config/types.ts';
import { prettyStream } from './log-pretty.ts';

export type { Logger };

const REDACT = [
  '*.token', '*.password', '*.apiKey', '*.api_key', '*.authorization', '*.Authorization',
  'req.headers.authorization', 'req.headers["x-api-key"]', '*.supervisorToken', '*.haToken',
];

export type LogFormat = 'pretty' | 'json';

export function createLogger(level: Config['logLevel'] | 'silent' = 'info', format: LogFormat = process.stdout.isTTY ? 'pretty' : 'json'): Logger {
  const options = { level, redact: { paths: REDACT, censor: '***' }, base: { app: 'wactorz' } };
  return format === 'pretty' ? pino(options, prettyStream(process.stdout)) : pino(options);
}
