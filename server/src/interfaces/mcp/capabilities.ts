// list_capabilities: what this Wactorz can do for the caller, so a client's LLM can pick a tool
// that will work instead of learning by failing. Every MCP caller (API key, ingress user, the
// integration's /mcp/<token>) runs on the owner's `api` channel (turn.ts), so what differs between
// them is who they are, not which tools they may call; a tool whose service is not running yet is
// listed as unavailable with why. Never a secret: the configuration is the settings service's
// non-secret view (config.ts).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Services } from '../../contract/services.ts';
import { effectiveConfig } from './config.ts';
import { RESOURCES } from './resources.ts';
import { guarded, json, ok } from './results.ts';
import type { McpContext } from './tools.ts';

/** Each tool with the services it calls; the MCP tests check this table against the registered tools. */
export const TOOL_NEEDS: Readonly<Record<string, readonly (keyof Services)[]>> = {
  list_capabilities: [],
  ask: ['chat'],
  send_task: ['chat'],
  propose_rule: ['chat'],
  spawn_recipe: ['chat'],
  list_agents: ['agents'],
  stop_agent: ['agents'],
  pause_agent: ['agents'],
  resume_agent: ['agents'],
  list_rules: ['rules'],
  enable_rule: ['rules'],
  disable_rule: ['rules'],
  cost_summary: ['cost'],
  ha_list_entities: ['haMap'],
  ha_get_state: ['devices'],
  ha_call_service: ['devices'],
};

// The same for every MCP caller (turn.ts, home-tools.ts): said once so a client does not try.
const LIMITS = [
  'Plans and rules are proposed here but approved by a person in the Wactorz panel or CLI (/plans approve and the "!" forms are refused).',
  'Locks, alarm panels and garage or door covers are never operated through MCP: they need a person\'s confirmation in the Wactorz panel or Assist.',
  'Each ask or send_task call is a new conversation: a question a turn asks cannot be answered by the next call.',
];

export function registerCapabilities(server: McpServer, { services, request }: McpContext): void {
  server.registerTool(
    'list_capabilities',
    {
      title: 'What Wactorz can do',
      description: 'What this Wactorz offers the caller: the tools it may call (and which are not available yet), the agent recipes it can spawn, whether an LLM is configured, the chat channels configured, and the options that shape rules (the Home Assistant domains the state bridge publishes, the MQTT topics agents may read). No secrets.',
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    guarded(async () => {
      const id = request.identity;
      const missing = (name: string) => (TOOL_NEEDS[name] ?? []).filter((s) => services[s] === undefined);
      const tools = Object.keys(TOOL_NEEDS).map((name) => {
        const gone = missing(name);
        return gone.length === 0 ? { name, available: true } : { name, available: false, why: `${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} not running yet` };
      });
      const recipes = services.recipes ? (await services.recipes.list()).map((r) => ({ name: r.name, title: r.title, description: r.description, source: r.source ?? null, parameters: Object.keys(r.parameters) })) : null;
      const config = services.settings ? await effectiveConfig(services) : null;
      const result = {
        caller: { via: id.via, name: id.displayName ?? id.userName ?? id.userId ?? id.via },
        // Trust comes from the channel (agents/main/trust.ts): MCP is the owner's API channel.
        channel: 'api',
        tools,
        limits: LIMITS,
        resources: Object.values(RESOURCES),
        recipes,
        llm: config ? { configured: config.llm.configured, provider: config.llm.provider, model: config.llm.model } : null,
        chat_channels: config ? (Object.keys(config.channels) as (keyof typeof config.channels)[]).filter((c) => config.channels[c]) : null,
        options: config
          ? {
              ha_bridge_domains: config.ha.bridge_domains,
              ha_bridge_per_entity_topics: config.ha.bridge_per_entity_topics,
              mqtt_topic_root: config.mqtt.topic_root,
              mqtt_read_topics: config.mqtt.read_topics,
              budget: config.budget,
            }
          : null,
      };
      const usable = tools.filter((t) => t.available).map((t) => t.name);
      const llm = result.llm ? (result.llm.configured ? `an LLM (${result.llm.model ?? result.llm.provider})` : 'no LLM configured (plain questions, propose_rule and LLM agents need one)') : 'the configuration is not available';
      const text = `Tools you may call: ${usable.join(', ')}. ${recipes ? `${recipes.length} agent recipes: ${recipes.map((r) => r.name).join(', ')}.` : 'The recipe catalogue is not available.'} This Wactorz has ${llm}. Full details:\n${json(result)}`;
      return ok(text, result);
    }),
  );
}
