// /mcp: the MCP server over Streamable HTTP (interfaces/mcp/), behind the same access guard as
// every other route (the guard's onRequest hook runs before this handler). Stateless: a fresh MCP
// server and transport per POST, answering JSON, so no session outlives its request and each call
// acts as the caller the guard identified. GET (a server-to-client stream) and DELETE (ending a
// session) have nothing to serve without sessions: 405, as the transport spec allows. The MCP SDK
// (some 25 MB of memory with its schemas) is imported at the first MCP request, not at start-up:
// most homes never call it.
import type * as McpTransport from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../contract/services.ts';
import type * as McpServer from '../../interfaces/mcp/server.ts';
import { contextOf } from './support.ts';

let mcpModules: Promise<[typeof McpTransport, typeof McpServer]> | undefined;
const loadMcp = () => (mcpModules ??= Promise.all([import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('../../interfaces/mcp/server.ts')]));

export interface McpRouteOptions {
  services: Partial<Services>;
  /** MCP requests per caller per minute; a tool call may run a chat turn (LLM money). */
  perMinute: number;
}

const NOT_ALLOWED = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless; POST JSON-RPC to /mcp' }, id: null });

export const mcpRoutes: FastifyPluginAsync<McpRouteOptions> = async (app, { services, perMinute }) => {
  // /mcp/<token> is the same endpoint for Home Assistant's `mcp` integration (the access guard checked the token).
  for (const url of ['/mcp', '/mcp/:token']) app.post(url, { bodyLimit: 64 * 1024, config: { rateLimit: { max: perMinute, timeWindow: 60_000 } } }, async (req, reply) => {
    const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await loadMcp();
    const server = createMcpServer({ services, request: contextOf(req, reply) });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.hijack();
    reply.raw.once('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req.raw, reply.raw, req.body);
    } catch (err) {
      req.log.warn({ err }, 'MCP request failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' });
      reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
    }
  });

  for (const method of ['GET', 'DELETE'] as const) {
    for (const url of ['/mcp', '/mcp/:token']) app.route({ method, url, handler: async (_req, reply) => reply.code(405).header('allow', 'POST').type('application/json').send(NOT_ALLOWED) });
  }
};
