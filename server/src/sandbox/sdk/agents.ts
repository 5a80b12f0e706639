import { z } from 'zod';
import { defineSdk } from './define.ts';

export const agents = defineSdk({
  name: 'agents',
  path: 'agents',
  aliases: ['listAgents', 'list_agents'],
  scope: 'agents',
  mode: 'value',
  args: z.tuple([]),
  doc: {
    signature: 'agent.agents()',
    returns: 'an array of { name, type, status, description } (a plain value; await optional)',
    description: 'Lists the agents currently running, to find one to delegate to.',
    example: "const names = agent.agents().map((a) => a.name);",
  },
  run(ctx) {
    return ctx.host.listAgents().map((a) => ({ name: a.name, type: a.type, status: a.status, description: a.description ?? '' }));
  },
});
