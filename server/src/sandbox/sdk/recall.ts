import { z } from 'zod';
import { defineSdk } from './define.ts';
import { StateKey } from './persist.ts';

export const recall = defineSdk({
  name: 'recall',
  path: 'recall',
  scope: 'persist',
  mode: 'value',
  args: z.tuple([StateKey, z.json().nullish()]),
  doc: {
    signature: 'agent.recall(key, fallback = null)',
    returns: 'the stored value, or fallback when nothing is stored (a plain value; await optional)',
    description: 'Reads what agent.persist stored under key.',
    example: "const count = agent.recall('count', 0);",
  },
  run(ctx, [key, fallback]) {
    return ctx.host.recall(key) ?? fallback ?? null;
  },
});
