// One MCP server for one caller: the tools and resources over the API's services, acting as the
// identity the access guard established. Built per HTTP request (stateless Streamable HTTP), so
// nothing of one caller's session can leak into another's.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../../version.ts';
import { registerResources } from './resources.ts';
import { registerTools, type McpContext } from './tools.ts';

export const MCP_SERVER_NAME = 'wactorz';

export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: VERSION },
    {
      capabilities: { tools: {}, resources: {} },
      instructions: 'Wactorz runs the agents and rules of this Home Assistant home. list_capabilities says what it offers you. Use ask for anything said in plain words; propose_rule designs a rule that a person then approves in the Wactorz panel. ha_call_service operates devices, but never locks, alarm panels or garage doors: those need a person in the Wactorz panel or Assist.',
    },
  );
  registerTools(server, ctx);
  registerResources(server, ctx.services);
  return server;
}
