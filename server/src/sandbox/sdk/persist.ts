import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { jsonSize } from '../json.ts';
import { formatBytes } from '../limits.ts';
import { defineSdk } from './define.ts';

export const StateKey = z
  .string()
  .min(1, 'key must not be empty')
  .max(200, 'key is longer than 200 characters')
  // A host that keeps values in a plain object must not have its prototype swapped.
  .refine((k) => k !== '__proto__' && k !== 'constructor' && k !== 'prototype', 'key may not be __proto__, constructor or prototype');

export const persist = defineSdk({
  name: 'persist',
  path: 'persist',
  scope: 'persist',
  mode: 'ack',
  args: z.tuple([StateKey, z.json().nullish()]),
  doc: {
    signature: 'agent.persist(key, value)',
    returns: 'a resolved promise (await optional); the value is on disk when it returns',
    description: 'Stores a JSON value under key, durably: it survives restarts of the agent and of the add-on. At most 256 KB per value.',
    example: "agent.persist('count', count + 1);",
  },
  run(ctx, [key, value]) {
    const size = jsonSize(value);
    if (size > ctx.limits.maxMessageBytes) throw new SdkError(`agent.persist: the value for "${key}" is ${formatBytes(size)}, over the ${formatBytes(ctx.limits.maxMessageBytes)} limit`);
    ctx.host.persist(key, value ?? null);
  },
});
