// One pino logger for the process (Fastify uses the same instance). Secrets are redacted by
// path so that a stray object in a log line never prints a token or key.
import { pino, type Logger } from 'pino';
import type { Config } from './config/types.ts';

export type { Logger };

const REDACT = [
  '*.token', '*.password', '*.apiKey', '*.api_key', '*.authorization', '*.Authorization',
  'req.headers.authorization', 'req.headers["x-api-key"]', '*.supervisorToken', '*.haToken',
];

export function createLogger(level: Config['logLevel'] | 'silent' = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '***' }, base: { app: 'wactorz' } });
}
