// The Fastify application as a plugin tree (runtime.ts listens and closes it). Tests build it
// with buildApp() and call app.inject(); the runtime passes the real sources.
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from '../core/clock.ts';
import type { Logger } from '../logger.ts';
import { accessGuard } from './access.ts';
import { defaultPolicy, WS_PROTOCOL, type AccessPolicy } from './access-policy.ts';
import { frameworkErrors, HttpError, installErrorHandler } from './errors.ts';
import type { HealthSources } from './health.ts';
import { LiveHub } from './live-hub.ts';
import { agentGrantRoutes } from './routes/agent-grants.ts';
import { agentRoutes } from './routes/agents.ts';
import { budgetRoutes } from './routes/budget.ts';
import { chatRoutes } from './routes/chat.ts';
import { costRoutes } from './routes/cost.ts';
import { haMapRoutes } from './routes/ha-map.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { healthRoutes } from './routes/health.ts';
import { memoryRoutes } from './routes/memory.ts';
import { recipeRoutes } from './routes/recipes.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { planRoutes } from './routes/plans.ts';
import { ruleRoutes } from './routes/rules.ts';
import { topicRoutes } from './routes/topics.ts';
import { wsRoutes } from './routes/ws.ts';
import type { Services } from '../contract/services.ts';
import { installRequestLog } from './request-log.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where every area publishes live events for the panel. */
    live: LiveHub;
  }
}

export const DEFAULT_PANEL_DIR = fileURLToPath(new URL('../../../panel/dist', import.meta.url));

export interface AppDeps {
  health: HealthSources;
  startedAt: Date;
  logger?: Logger;
  /** Built panel to serve at `/`; absent directory means an API-only server. */
  panelDir?: string;
  now?: () => number;
  /**
   * Who may call. The runtime passes `{inAddon: config.inAddon, apiKey: config.apiKey}`; absent,
   * only loopback clients are served (the safe default).
   */
  access?: Partial<AccessPolicy>;
  /** The real implementations; each one left out answers 503 `unavailable`. */
  services?: Partial<Services>;
  /** The hub the other areas publish into; one is created when absent. */
  live?: LiveHub;
  clock?: Clock;
  /**
   * Routes of the interfaces that live outside http/ (the companion integration's API, the
   * WhatsApp webhook), registered behind the same guard after the API's own.
   */
  interfaceRoutes?: readonly FastifyPluginAsync[];
  limits?: {
    chatPerMinute?: number;
    mcpPerMinute?: number;
    wsPingIntervalMs?: number;
    wsMaxBufferedBytes?: number;
  };
}

const WS_MAX_PAYLOAD = 64 * 1024;

/**
 * Closes the app, bounded: idle connections close at once, and a client that keeps a connection
 * busy (stops reading mid-response, sends half a request, a browser that reuses a keep-alive
 * socket as it closes) is cut after `graceMs`, or it would hold the stop until the watchdog.
 */
export async function closeApp(app: FastifyInstance, graceMs = 2_000): Promise<void> {
  const grace = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(grace);
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger; widening it keeps the app's type the default one.
  const baseLogger: FastifyBaseLogger | undefined = deps.logger;
  const app = Fastify({
    ...(baseLogger ? { loggerInstance: baseLogger } : { logger: false }),
    // One line per request at debug instead (request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    // Ingress sends X-Forwarded-* from the Supervisor; trust only that hop.
    trustProxy: false,
    frameworkErrors,
  });
  installErrorHandler(app);
  installRequestLog(app);
  const clock = deps.clock ?? systemClock;
  const hub = deps.live ?? new LiveHub({ clock, onError: (err, context) => app.log.warn({ err }, context) });
  app.decorate('live', hub);
  // The WebSocket plugin goes first: its hook marks upgrade requests, so a connection the guard
  // refuses is destroyed after the 401/403 instead of lingering half-open.
  await app.register(fastifyWebsocket, {
    options: {
      maxPayload: WS_MAX_PAYLOAD,
      // Select the protocol name, never echo the bearer subprotocol (it carries the key).
      handleProtocols: (protocols: Set<string>) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    },
  });
  await app.register(accessGuard, { policy: defaultPolicy(deps.access) });
  await app.register(fastifyRateLimit, {
    global: false,
    // Per caller, not per address: behind ingress every user arrives from the Supervisor.
    keyGenerator: (req) => `${req.identity?.via ?? 'anon'}:${req.identity?.userId ?? req.ip}`,
    errorResponseBuilder: (_req, ctx) => new HttpError(429, 'rate_limited', `Too many requests; try again in ${ctx.after}`),
  });

  const services = deps.services ?? {};
  await app.register(healthRoutes, { sources: deps.health, startedAt: deps.startedAt, now: deps.now });
  await app.register(chatRoutes, { service: services.chat, hub, perMinute: deps.limits?.chatPerMinute ?? 20 });
  await app.register(agentRoutes, { service: services.agents });
  await app.register(agentGrantRoutes, { service: services.agentGrants });
  await app.register(ruleRoutes, { service: services.rules });
  await app.register(planRoutes, { service: services.plans });
  await app.register(memoryRoutes, { service: services.memory });
  await app.register(recipeRoutes, { service: services.recipes });
  await app.register(costRoutes, { service: services.cost });
  await app.register(budgetRoutes, { service: services.budget });
  await app.register(topicRoutes, { service: services.topics });
  await app.register(nodeRoutes, { service: services.nodes });
  await app.register(haMapRoutes, { service: services.haMap });
  // The MCP server (interfaces/mcp/) over the same services, behind the same guard.
  await app.register(mcpRoutes, { services, perMinute: deps.limits?.mcpPerMinute ?? 60 });
  await app.register(wsRoutes, { hub, clock, pingIntervalMs: deps.limits?.wsPingIntervalMs, maxBufferedBytes: deps.limits?.wsMaxBufferedBytes });
  for (const routes of deps.interfaceRoutes ?? []) await app.register(routes);

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
