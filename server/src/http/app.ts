// The Fastify application as a plugin tree (server.ts only listens and closes). Tests build it
// with buildApp() and call app.inject(); the runtime passes the real sources.
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.ts';
import { installErrorHandler } from './errors.ts';
import type { HealthSources } from './health.ts';
import { healthRoutes } from './routes/health.ts';

export const DEFAULT_PANEL_DIR = fileURLToPath(new URL('../../../panel/dist', import.meta.url));

export interface AppDeps {
  health: HealthSources;
  startedAt: Date;
  logger?: Logger;
  /** Built panel to serve at `/`; absent directory means an API-only server. */
  panelDir?: string;
  now?: () => number;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger; widening it keeps the app's type the default one.
  const baseLogger: FastifyBaseLogger | undefined = deps.logger;
  const app = Fastify({
    ...(baseLogger ? { loggerInstance: baseLogger } : { logger: false }),
    bodyLimit: 256 * 1024,
    // Ingress sends X-Forwarded-* from the Supervisor; trust only that hop.
    trustProxy: false,
  });
  installErrorHandler(app);
  await app.register(healthRoutes, { sources: deps.health, startedAt: deps.startedAt, now: deps.now });

  const panelDir = deps.panelDir ?? DEFAULT_PANEL_DIR;
  if (existsSync(panelDir)) {
    // The panel uses relative URLs only, so the same files work at `/` and under ingress's
    // `/api/hassio_ingress/<token>/` prefix.
    await app.register(fastifyStatic, { root: panelDir, prefix: '/', index: ['index.html'], wildcard: false });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain').send('Wactorz is running. The panel is not built: run `npm run build:panel`.\n'),
    );
  }
  return app;
}
