// The MCP resources: read-only snapshots of what the panel's Agents, Rules and Topics views show,
// the home (its areas with their entities) and the non-secret effective configuration, as JSON. A
// missing service is a read error (JSON-RPC), which the client reports.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { HaMap } from '../../contract/ha-map.ts';
import { ServiceError } from '../../contract/service-error.ts';
import type { Services } from '../../contract/services.ts';
import { effectiveConfig } from './config.ts';
import { homeByArea, type HomeByArea } from './home.ts';

export const RESOURCES = {
  agents: 'wactorz://agents',
  rules: 'wactorz://rules',
  topics: 'wactorz://topics',
  home: 'wactorz://home',
  config: 'wactorz://config',
} as const;

function reader(uri: string, read: () => Promise<unknown> | undefined, what: string): () => Promise<ReadResourceResult> {
  return async () => {
    const pending = read();
    if (pending === undefined) throw new ServiceError('unavailable', `${what} is not available yet`);
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(await pending, null, 2) }] };
  };
}

export function registerResources(server: McpServer, services: Partial<Services>): void {
  server.registerResource('agents', RESOURCES.agents, { title: 'Agents', description: 'Every agent: type, state, node, cost, errors.', mimeType: 'application/json' }, reader(RESOURCES.agents, () => services.agents?.list(), 'The agent list'));
  server.registerResource('rules', RESOURCES.rules, { title: 'Rules', description: 'The reactive rules and their status.', mimeType: 'application/json' }, reader(RESOURCES.rules, () => services.rules?.list(), 'The rule list'));
  server.registerResource('topics', RESOURCES.topics, { title: 'MQTT topics', description: 'Every topic Wactorz knows, with publishers, subscribers and schemas.', mimeType: 'application/json' }, reader(RESOURCES.topics, () => services.topics?.list(), 'The topic registry'));
  server.registerResource('home', RESOURCES.home, { title: 'Home', description: "Home Assistant's areas with their entities (entity_id, name, state), from Wactorz's live copy of the states.", mimeType: 'application/json' }, reader(RESOURCES.home, () => services.haMap?.snapshot().then(homeOrNothing), 'The Home Assistant map'));
  server.registerResource('config', RESOURCES.config, { title: 'Configuration', description: 'The effective configuration without secrets: LLM provider and models, budget caps, MQTT mode, topic root and readable device topics, the state bridge\'s domains, chat channels on or off.', mimeType: 'application/json' }, reader(RESOURCES.config, () => (services.settings ? effectiveConfig(services) : undefined), 'The configuration'));
}

async function homeOrNothing(map: HaMap | undefined): Promise<HomeByArea> {
  if (!map) throw new ServiceError('unavailable', 'Home Assistant has not been loaded yet');
  return homeByArea(map);
}
