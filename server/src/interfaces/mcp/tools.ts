// The MCP tools: each one a call on the API's services (contract/services.ts), with its input
// checked by a zod schema (the SDK validates before the handler runs and answers a bad input as a
// tool error). A refusal or failure becomes a tool error with the service's message (`isError`,
// results.ts). The agents' lifecycle tools are agent-tools.ts, Home Assistant's home-tools.ts,
// list_capabilities capabilities.ts.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { MAX_CHAT_MESSAGE } from '../../contract/chat.ts';
import { Slug } from '../../contract/common.ts';
import { CostPeriod } from '../../contract/cost.ts';
import type { RequestContext, Services } from '../../contract/services.ts';
import { registerAgentTools } from './agent-tools.ts';
import { registerCapabilities } from './capabilities.ts';
import { registerHomeTools } from './home-tools.ts';
import { fail, guarded, json, need, ok } from './results.ts';
import { runTurn, type TurnResult } from './turn.ts';

export interface McpContext {
  services: Partial<Services>;
  /** Who is calling (the access guard's identity) and the request's abort signal. */
  request: RequestContext;
}

const Text = z.string().min(1).max(MAX_CHAT_MESSAGE).regex(/\S/, 'The text is blank');
const RuleId = z.string().min(1).max(128);
const RecipeParam = z.union([z.string().max(500), z.number(), z.boolean()]);

function turnResult(t: TurnResult): CallToolResult {
  const failed = t.activity.filter((a) => !a.ok);
  const result = ok(t.reply, { ...t });
  // An agent's task or a spawn that failed is a failed tool call, with main's explanation.
  return failed.length > 0 ? { ...result, isError: true } : result;
}

export function registerTools(server: McpServer, ctx: McpContext): void {
  const { services, request } = ctx;

  server.registerTool(
    'ask',
    {
      title: 'Ask Wactorz',
      description: 'One turn of the Wactorz orchestrator, as if typed in its chat: answer a question, control a device, delegate to agents, run a slash command. Each call is a new conversation; confirmations (locks, garage doors) and plan approvals wait for a person in the Wactorz panel.',
      inputSchema: { message: Text },
    },
    guarded(async ({ message }) => turnResult(await runTurn(services.chat, message, request))),
  );

  server.registerTool(
    'list_agents',
    { title: 'List agents', description: 'Every agent with its type, state, node, cost and errors.', inputSchema: {}, annotations: { readOnlyHint: true } },
    guarded(async () => {
      const agents = await need(services.agents, 'The agent list').list();
      return ok(json(agents), { agents });
    }),
  );

  server.registerTool(
    'send_task',
    {
      title: 'Send a task to an agent',
      description: 'Sends a task to one agent by name and returns its answer. A JSON object as text ({"city": "Athens"}) is sent as an object. A catalog recipe name spawns the recipe first.',
      inputSchema: { agent: Slug, task: Text },
    },
    guarded(async ({ agent, task }) => turnResult(await runTurn(services.chat, task, request, agent))),
  );

  server.registerTool(
    'list_rules',
    { title: 'List rules', description: 'The reactive rules: enabled or not, status, agents, when each last fired.', inputSchema: {}, annotations: { readOnlyHint: true } },
    guarded(async () => {
      const rules = await need(services.rules, 'The rule list').list();
      return ok(json(rules), { rules });
    }),
  );

  for (const enabled of [true, false]) {
    server.registerTool(
      enabled ? 'enable_rule' : 'disable_rule',
      {
        title: enabled ? 'Enable a rule' : 'Disable a rule',
        description: enabled ? 'Starts a rule again by id (see list_rules).' : 'Stops a rule by id (see list_rules); it can be enabled again.',
        inputSchema: { id: RuleId },
        annotations: { idempotentHint: true },
      },
      guarded(async ({ id }) => {
        const rule = await need(services.rules, 'Rules').setEnabled(id, enabled, request);
        if (!rule) return fail(`There is no rule "${id}"; list_rules lists them.`);
        return ok(`Rule ${rule.id} (${rule.name}) is ${rule.enabled ? 'enabled' : 'disabled'}.`, { rule });
      }),
    );
  }

  server.registerTool(
    'propose_rule',
    {
      title: 'Propose a rule',
      description: 'Describe a rule ("when the front door opens after 22:00, notify my phone"); the planner designs it and returns the proposal. Nothing runs until a person approves it in the Wactorz panel (or with /plans approve <id> in its chat or CLI).',
      inputSchema: { description: Text },
    },
    guarded(async ({ description }) => {
      // The planner's pipeline route, through the orchestrator like "pipeline: ..." typed in chat;
      // `:` (never `!`) keeps approval with a person.
      const t = await runTurn(services.chat, `pipeline: ${description}`, request);
      if (t.proposals.length === 0) return fail(t.reply || 'The planner made no proposal.');
      return ok(`${t.reply}\n\nApproval is for a person: the Wactorz panel lists the proposal under Plans.`, { ...t });
    }),
  );

  server.registerTool(
    'spawn_recipe',
    {
      title: 'Spawn a catalog recipe',
      description: 'Starts a pre-built agent from the catalog (no code written by an LLM), with its parameters. Ask the catalog agent "list" with send_task to see the recipes.',
      inputSchema: { recipe: z.string().min(1).max(100), name: Slug.optional(), params: z.record(z.string().max(64), RecipeParam).optional() },
    },
    guarded(async ({ recipe, name, params }) => {
      // The catalog agent's own spawn path, so the recipe runs with the scopes it declares.
      const task = JSON.stringify({ action: 'spawn', recipe, ...(name ? { name } : {}), ...(params ? { params } : {}) });
      return turnResult(await runTurn(services.chat, task, request, 'catalog'));
    }),
  );

  server.registerTool(
    'cost_summary',
    {
      title: 'Cost summary',
      description: 'LLM spend over the last day, week or month, by provider and by agent, what the prompt cache saved, and the budget caps.',
      inputSchema: { period: CostPeriod.default('week') },
      annotations: { readOnlyHint: true },
    },
    guarded(async ({ period }) => {
      const report = await need(services.cost, 'The cost report').report(period);
      const budget = services.budget ? await services.budget.get() : null;
      const summary = { period: report.period, from: report.from, to: report.to, total_usd: report.total_usd, by_provider: report.by_provider, by_agent: report.by_agent, prompt_cache: report.prompt_cache, budget };
      return ok(json(summary), summary);
    }),
  );

  registerAgentTools(server, ctx);
  registerHomeTools(server, ctx);
  registerCapabilities(server, ctx);
}
