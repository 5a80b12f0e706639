// `wactorz mcp`: MCP over stdio for clients that start a command (Claude Desktop and most
// desktop clients), relayed to a running server's /mcp with the API key. A relay rather than a
// second system in this process: one Wactorz owns the broker, the database and the agents, and
// the stdio path gets exactly what the HTTP path allows (the same guard, the same identity).
// stdout carries the protocol, so everything human goes to stderr.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListResourcesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Readable, Writable } from 'node:stream';
import { VERSION } from '../../version.ts';
import { MCP_SERVER_NAME } from './server.ts';

export interface BridgeOptions {
  /** The running server's base URL (the CLI's --url). */
  url: string;
  apiKey: string | undefined;
  stdin?: Readable;
  stdout?: Writable;
}

// A tool call may run a whole chat turn (an LLM, an agent's task, a recipe's setup).
const CALL_TIMEOUT_MS = 10 * 60_000;

/** Connects to the server, then serves stdio until stdin ends. Throws if the server refuses. */
export async function runMcpBridge(opts: BridgeOptions): Promise<void> {
  const headers: Record<string, string> = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};
  const upstream = new Client({ name: `${MCP_SERVER_NAME}-cli`, version: VERSION });
  try {
    await upstream.connect(new StreamableHTTPClientTransport(new URL('/mcp', opts.url), { requestInit: { headers } }));
  } catch (err) {
    throw new Error(`Cannot reach Wactorz's MCP endpoint at ${new URL('/mcp', opts.url).href}: ${err instanceof Error ? err.message : String(err)}${opts.apiKey ? '' : ' (no API key given: --api-key or $WACTORZ_API_KEY)'}`, { cause: err });
  }
  const instructions = upstream.getInstructions();
  const server = new Server({ name: MCP_SERVER_NAME, version: VERSION }, { capabilities: { tools: {}, resources: {} }, ...(instructions ? { instructions } : {}) });
  server.setRequestHandler(ListToolsRequestSchema, (req) => upstream.listTools(req.params));
  server.setRequestHandler(CallToolRequestSchema, (req) => upstream.callTool(req.params, undefined, { timeout: CALL_TIMEOUT_MS }));
  server.setRequestHandler(ListResourcesRequestSchema, (req) => upstream.listResources(req.params));
  server.setRequestHandler(ReadResourceRequestSchema, (req) => upstream.readResource(req.params));

  const stdin = opts.stdin ?? process.stdin;
  const transport = new StdioServerTransport(stdin, opts.stdout ?? process.stdout);
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  // The client closing our stdin is the end of the session.
  stdin.once('end', () => void server.close());
  await server.connect(transport);
  await closed;
  await upstream.close();
}
