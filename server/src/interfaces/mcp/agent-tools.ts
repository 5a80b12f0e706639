// The agents' lifecycle as MCP tools: stop, pause and resume by name, through AgentsService.command,
// the entry point of the panel's buttons and /agents, so protected agents (main, monitor, catalog,
// the HA agents) refuse stop and pause here as they do there. Delete and restart are left to the
// panel: what a client's LLM should be able to undo, it can (resume; restart from the panel).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { AgentCommand } from '../../contract/agents.ts';
import { Slug } from '../../contract/common.ts';
import { fail, guarded, need, ok } from './results.ts';
import type { McpContext } from './tools.ts';

const TOOLS: { name: string; command: AgentCommand; title: string; description: string; annotations: ToolAnnotations }[] = [
  {
    name: 'stop_agent',
    command: 'stop',
    title: 'Stop an agent',
    description: 'Stops an agent by name (see list_agents); it stays listed as stopped until restarted from the Wactorz panel. Protected system agents (main, monitor, catalog, the Home Assistant agents) refuse.',
    annotations: { destructiveHint: true, idempotentHint: true },
  },
  {
    name: 'pause_agent',
    command: 'pause',
    title: 'Pause an agent',
    description: 'Pauses a running agent by name: it keeps its state and takes no messages until resume_agent. Protected system agents refuse.',
    annotations: { destructiveHint: false },
  },
  {
    name: 'resume_agent',
    command: 'resume',
    title: 'Resume an agent',
    description: 'Resumes a paused agent by name.',
    annotations: { destructiveHint: false },
  },
];

export function registerAgentTools(server: McpServer, { services, request }: McpContext): void {
  for (const t of TOOLS) {
    server.registerTool(
      t.name,
      { title: t.title, description: t.description, inputSchema: { agent: Slug }, annotations: t.annotations },
      guarded(async ({ agent }) => {
        // A refusal (protected, not running, not paused) is the service's ServiceError.
        const after = await need(services.agents, 'Agent control').command(agent, t.command, request);
        if (!after) return fail(`There is no agent "${agent}"; list_agents lists them.`);
        return ok(`${after.name} is ${after.state}.`, { agent: after });
      }),
    );
  }
}
