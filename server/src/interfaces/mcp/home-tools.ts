// Home Assistant as MCP tools. Reading comes from the server's live state cache (the HA map
// service and DevicesService.state): no call reaches HA. Acting goes through DevicesService.call,
// the one-off actuator of the chat's device control, with its checks (entities and services known,
// HA reachable, all or nothing); a security-sensitive target (lock, alarm panel, garage or door
// cover) is refused, since an MCP client cannot give the person's "yes" the chat would ask for.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { EntityId, type HaAction } from '../../ha/action.ts';
import { matches, rowOf } from './home.ts';
import { fail, guarded, json, need, ok } from './results.ts';
import type { McpContext } from './tools.ts';

const Slug = z.string().regex(/^[a-z0-9_]+$/, { error: 'expected a lower-case name like "light" or "turn_on"' });
const MAX_ROWS = 500;

export function registerHomeTools(server: McpServer, { services, request }: McpContext): void {
  server.registerTool(
    'ha_list_entities',
    {
      title: 'List Home Assistant entities',
      description: 'Entities of the home as rows of entity_id, name, state and area, filtered by domain ("light"), area (id or name) and a piece of the name or entity id. Read from Wactorz\'s live copy of Home Assistant\'s states.',
      inputSchema: {
        domain: Slug.optional(),
        area: z.string().min(1).max(100).optional(),
        name: z.string().min(1).max(100).optional(),
        limit: z.number().int().min(1).max(MAX_ROWS).default(100),
      },
      annotations: { readOnlyHint: true },
    },
    guarded(async ({ limit, ...filter }) => {
      const map = await need(services.haMap, 'The Home Assistant map').snapshot();
      if (!map) return fail('Home Assistant has not been loaded yet; try again in a moment.');
      const all = map.entities.filter((e) => matches(e, filter)).map(rowOf);
      const entities = all.slice(0, limit);
      const result = { total: all.length, truncated: all.length > entities.length, entities };
      const note = result.truncated ? `\n(${entities.length} of ${all.length}: narrow the filter or raise limit)` : '';
      return ok(all.length === 0 ? 'No entity matches.' : `${json(entities)}${note}`, result);
    }),
  );

  server.registerTool(
    'ha_get_state',
    {
      title: 'Get an entity\'s state',
      description: 'One Home Assistant entity\'s state, attributes and when it last changed, from Wactorz\'s live copy of the states.',
      inputSchema: { entity_id: EntityId },
      annotations: { readOnlyHint: true },
    },
    guarded(async ({ entity_id }) => {
      const state = await need(services.devices, 'Home Assistant').state(entity_id);
      if (!state) return fail(`Home Assistant has no entity "${entity_id}"; ha_list_entities lists them.`);
      return ok(json(state), { ...state });
    }),
  );

  server.registerTool(
    'ha_call_service',
    {
      title: 'Call a Home Assistant service',
      description: 'Operates devices now, as the Wactorz chat does: e.g. domain "light", service "turn_on", entity_id "light.kitchen", service_data {"brightness_pct": 50}. Every entity and service is checked first and nothing runs if one is unknown. Security-sensitive targets (locks, alarm panels, garage and door covers) are refused: they need a person\'s confirmation in the Wactorz panel or Assist.',
      inputSchema: {
        domain: Slug,
        service: Slug,
        entity_id: z.union([EntityId, z.array(EntityId).min(1).max(50)]).optional(),
        service_data: z.record(z.string(), z.unknown()).optional(),
      },
      annotations: { destructiveHint: true, openWorldHint: true },
    },
    guarded(async ({ domain, service, entity_id, service_data }) => {
      const ids = entity_id === undefined ? [] : Array.isArray(entity_id) ? entity_id : [entity_id];
      const call: HaAction = { domain, service, ...(ids.length > 0 ? { target: { entity_id: ids } } : {}), service_data: service_data ?? {} };
      const result = await need(services.devices, 'Home Assistant').call([call], request);
      const answer = ok(result.text, { ...result });
      return result.status === 'done' ? answer : { ...answer, isError: true };
    }),
  );
}
