import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { jsonSize } from '../json.ts';
import { formatBytes } from '../limits.ts';
import type { Json } from '../schemas.ts';
import type { SdkContext } from './define.ts';
import { defineSdk } from './define.ts';

export const AgentName = z.string().min(1, 'agent name is empty').max(200);

/** One agent-to-agent request with the hop and size limits; shared by sendTo and sendToMany. */
export async function sendChecked(ctx: SdkContext, method: string, target: string, payload: Json): Promise<Json> {
  const hops = ctx.hops() + 1;
  if (hops > ctx.limits.maxHops) {
    const message = `${method}: hop limit reached (${ctx.limits.maxHops} agent-to-agent hops); agents seem to be calling each other in a loop, so "${target}" was not asked`;
    ctx.report({ phase: 'sdk', severity: 'warning', message });
    throw new SdkError(message);
  }
  const size = jsonSize(payload);
  if (size > ctx.limits.maxMessageBytes) throw new SdkError(`${method}: the payload for "${target}" is ${formatBytes(size)}, over the ${formatBytes(ctx.limits.maxMessageBytes)} limit`);
  const reply = await ctx.host.sendTo(target, payload, { hops, signal: ctx.signal });
  const replySize = jsonSize(reply);
  if (replySize > ctx.limits.maxMessageBytes) throw new SdkError(`${method}: the reply of "${target}" is ${formatBytes(replySize)}, over the ${formatBytes(ctx.limits.maxMessageBytes)} limit`);
  return reply ?? null;
}

export const sendTo = defineSdk({
  name: 'sendTo',
  path: 'sendTo',
  aliases: ['delegate', 'send_to'],
  scope: 'agents',
  mode: 'async',
  args: z.tuple([AgentName, z.json().nullish()]),
  doc: {
    signature: 'agent.sendTo(agentName, payload)  (alias agent.delegate)',
    returns: 'a promise of the other agent\'s reply (what its handleTask returned)',
    description: 'Sends a task to another agent by name and waits for its result. Rejects when the agent does not exist, fails or times out.',
    example: "const weather = await agent.delegate('weather-agent', { city: 'Athens' });",
  },
  run(ctx, [target, payload]) {
    return sendChecked(ctx, 'agent.sendTo', target, payload ?? null);
  },
});
