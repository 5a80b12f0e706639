import { z } from 'zod';
import { EntityId } from '../schemas.ts';
import { defineSdk } from './define.ts';

export const haGetState = defineSdk({
  name: 'ha.getState',
  path: 'ha.getState',
  aliases: ['ha.get_state'],
  scope: 'ha:read',
  mode: 'async',
  args: z.tuple([EntityId]),
  doc: {
    signature: 'agent.ha.getState(entityId)',
    returns: 'a promise of { entity_id, state, attributes, last_changed } or null when the entity does not exist',
    description: 'Reads the current state of a Home Assistant entity. States are strings: compare with "on", or use Number(s.state).',
    example: "const t = await agent.ha.getState('sensor.living_room_temperature');",
  },
  run(ctx, [entityId]) {
    return ctx.host.haGetState(entityId, ctx.signal);
  },
});
