import { z } from 'zod';
import { JsonObjectSchema } from '../schemas.ts';
import { defineSdk } from './define.ts';

export const declareContract = defineSdk({
  name: 'declareContract',
  path: 'declareContract',
  aliases: ['declare_contract'],
  scope: 'contract',
  mode: 'ack',
  args: z.tuple([JsonObjectSchema]),
  doc: {
    signature: 'agent.declareContract({ publishes, subscribes, triggers, produces_schema, consumes_schema, description })',
    returns: 'a resolved promise (await optional)',
    description: 'Tells the TopicBus what this agent publishes and listens to, so the planner can wire agents together. Topics are strings or arrays of strings; schemas look like { temp: "number" }.',
    example: "agent.declareContract({ publishes: ['custom/energy/summary'], produces_schema: { kwh: 'number' } });",
  },
  run(ctx, [contract]) {
    ctx.host.declareContract(contract);
  },
});
