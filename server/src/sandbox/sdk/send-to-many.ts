import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { publicMessage } from '../errors.ts';
import { defineSdk } from './define.ts';
import { AgentName, sendChecked } from './send-to.ts';

const Task = z.union([
  z.tuple([AgentName, z.json().nullish()]),
  z.object({ agent: AgentName, payload: z.json().nullish() }),
  z.object({ name: AgentName, payload: z.json().nullish() }),
]);

export const sendToMany = defineSdk({
  name: 'sendToMany',
  path: 'sendToMany',
  aliases: ['send_to_many'],
  scope: 'agents',
  mode: 'async',
  heavy: true,
  args: z.tuple([z.array(Task)]),
  doc: {
    signature: 'agent.sendToMany([[agentName, payload], ...])',
    returns: 'a promise of [{ agent, ok: true, result } | { agent, ok: false, error }], in the order given',
    description: 'Asks several agents in parallel (also accepts [{ agent, payload }]). One failure does not fail the others. At most 20 tasks.',
    example: "const [w, n] = await agent.sendToMany([['weather-agent', { city: 'Athens' }], ['news-agent', { query: 'AI' }]]);",
  },
  async run(ctx, [tasks]) {
    if (tasks.length > ctx.limits.maxFanOut) throw new SdkError(`agent.sendToMany: at most ${ctx.limits.maxFanOut} tasks at once, got ${tasks.length}`);
    const normalized = tasks.map((t) => (Array.isArray(t) ? { agent: t[0], payload: t[1] ?? null } : { agent: 'agent' in t ? t.agent : t.name, payload: t.payload ?? null }));
    const settled = await Promise.allSettled(normalized.map((t) => sendChecked(ctx, 'agent.sendToMany', t.agent, t.payload)));
    return settled.map((s, i) => (s.status === 'fulfilled' ? { agent: normalized[i].agent, ok: true, result: s.value } : { agent: normalized[i].agent, ok: false, error: publicMessage(s.reason) }));
  },
});
