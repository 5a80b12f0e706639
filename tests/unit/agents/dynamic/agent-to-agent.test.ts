// Agent-to-agent tasks through the actor system: hops counted across agents so a relay chain stops
// at the sandbox's hop limit, and an llm agent or a built-in actor receives the bare payload.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Actor } from '../../../../server/src/core/actor.ts';
import type { Message } from '../../../../server/src/core/messages.ts';
import { dyn, makeAgentsEnv, type AgentsEnv } from '../spawner/fixtures.ts';

let env: AgentsEnv;
beforeEach(async () => {
  env = await makeAgentsEnv({ limits: { maxHops: 2 } });
});
afterEach(async () => {
  await env.close();
});

const RELAY = `async function handleTask(agent, p) {
  if (p.to.length === 0) return [agent.name];
  try { return [agent.name, ...(await agent.delegate(p.to[0], { to: p.to.slice(1) }))]; }
  catch (e) { return [agent.name, 'refused: ' + e.message]; }
}`;

test('hops are counted across agents: the third hop of a relay is refused', async () => {
  for (const n of ['a', 'b', 'c', 'd']) await env.agents.spawner.spawn(dyn(n, RELAY), { by: 'llm' });
  expect(await env.system.ask('a', { to: ['b', 'c'] })).toEqual(['a', 'b', 'c']);
  const refused = await env.system.ask<string[]>('a', { to: ['b', 'c', 'd'] });
  expect(refused).toEqual(['a', 'b', 'c', expect.stringMatching(/^refused: .*hop limit reached \(2 agent-to-agent hops\).*"d" was not asked/) as unknown]);
});

test('a built-in actor gets the bare payload and its answer comes back to agent code', async () => {
  class Adder extends Actor {
    protected handle(m: Message): unknown {
      if (m.type !== 'task') return undefined;
      const p = m.payload as { a: number; b: number };
      return { sum: p.a + p.b, sender: m.from ?? null };
    }
  }
  await env.system.spawn(new Adder({ name: 'adder' }));
  await env.agents.spawner.spawn(dyn('asker', 'async function handleTask(agent) { return await agent.sendTo("adder", { a: 2, b: 3 }); }'), { by: 'llm' });
  expect(await env.system.ask('asker', {})).toEqual({ sum: 5, sender: 'asker' });
});
