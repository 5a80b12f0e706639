// One line per request, at debug: `GET /api/health 200 2 ms`. Fastify's own logging writes two
// lines per request at info ("incoming request", "request completed"), which buries everything
// else in a person's terminal and in the add-on's log. The URL is logged without its query, and
// a token in the path (/mcp/<token>, access-policy.ts) is hidden.
import type { FastifyInstance } from 'fastify';

export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    const path = (req.url.split('?')[0] ?? '').replace(/^\/mcp\/[^/]+$/, '/mcp/***');
    req.log.debug({ status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, `${req.method} ${path} ${reply.statusCode}`);
  });
}
