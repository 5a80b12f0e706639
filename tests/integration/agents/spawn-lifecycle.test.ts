// Spawned agents across the real parts: self-correction by a scripted LLM through the LLM service,
// a restart of the whole system over the same SQLite file, the llm agent type, and budget
// refusals reaching agent code as errors.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseSpawnBlocks } from '../../../server/src/agents/spawn-config/parse-blocks.ts';
import { startWorld, until, type AgentWorld } from '../../helpers/agent-world.ts';
import { reply } from '../../helpers/fake-llm/index.ts';

let world: AgentWorld;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const BROKEN = 'async function setup(agent) {\n  agent.state.city = agent.recall("cfg").city;\n}\nasync function handleTask(agent) { return agent.state.city; }';
const FIXED = 'async function setup(agent) {\n  agent.state.city = (agent.recall("cfg") ?? {}).city ?? "Athens";\n}\nasync function handleTask(agent) { return agent.state.city; }';

test('a <spawn> block whose setup throws is fixed by the LLM; the fixed code is what runs and what is saved', async () => {
  world.fake.enqueue(reply.text(`Here is the fix:\n\`\`\`javascript\n${FIXED}\n\`\`\``));
  const [block] = parseSpawnBlocks(`Sure.\n<spawn>{"name": "city-agent", "type": "dynamic", "code": ${JSON.stringify(BROKEN)}}</spawn>`);
  if (!block?.ok) throw new Error('the block should parse');
  const outcome = await world.agents.spawner.spawn(block.config, { by: 'llm' });
  expect(outcome.status).toBe('spawned');
  expect(await world.system.ask('city-agent', {})).toBe('Athens');

  const asked = world.fake.lastRequest().body as { system: string; messages: { content: string }[] };
  expect(asked.system).toContain('You repair JavaScript agents');
  expect(JSON.stringify(asked.messages)).toContain("reading 'city'");
  expect(JSON.stringify(asked.messages)).toContain('agent.recall(key, fallback = null)');
  expect(world.llm.ledger.report({ period: 'all', agent: 'city-agent', callSite: 'agent' }).totals.calls).toBe(1);

  const saved = JSON.parse(world.db.prepare("SELECT config FROM spawn_registry WHERE name = 'city-agent'").pluck().get() as string) as { code: string };
  expect(saved.code).toBe(FIXED);
  const logs = await until(async () => world.on('agents/city-agent/logs').map((s) => (s.payload as { message: string }).message), (l) => l.some((m) => m.startsWith('started')), 'the start log');
  expect(logs).toEqual(expect.arrayContaining([
    expect.stringMatching(/^self-correction 1\/2: start failed \(setup\)/) as unknown,
    'self-correction 1/2: retrying with corrected code',
    'self-correction: the agent started after 1 fix',
  ]));

  // After a restart the fixed code starts directly: no second request to the LLM.
  const requests = world.fake.requests.length;
  expect(await world.restart()).toEqual({ restored: ['city-agent'], failed: [] });
  expect(await world.system.ask('city-agent', {})).toBe('Athens');
  expect(world.fake.requests.length).toBe(requests);
});

test('two fixes that still fail: the spawn is refused after exactly two attempts, nothing is left', async () => {
  world.fake.enqueue(reply.text('```js\nasync function setup() { throw new Error("still broken"); }\n```'), reply.text('```js\nasync function setup() { throw new Error("broken again"); }\n```'));
  await expect(world.agents.spawner.spawn({ name: 'hopeless', type: 'dynamic', code: BROKEN } as never, { by: 'llm' })).rejects.toThrow('broken again');
  expect(world.fake.requests.length).toBe(2);
  expect(world.system.get('hopeless')).toBeUndefined();
  expect(world.agents.spawner.list()).toEqual([]);
});

test('a restart over the same SQLite file restores every spawned agent with its persisted state', async () => {
  const code = 'async function setup(agent) { agent.persist("boots", agent.recall("boots", 0) + 1); }\nasync function handleTask(agent, p) { if (p.add) agent.persist("items", [...agent.recall("items", []), p.add]); return { boots: agent.recall("boots", 0), items: agent.recall("items", []) }; }';
  await world.agents.spawner.spawn({ name: 'shopping', type: 'dynamic', code } as never, { by: 'llm' });
  await world.agents.spawner.spawn({ name: 'poet', type: 'llm', system_prompt: 'You write one-line poems.' } as never, { by: 'user' });
  expect(await world.system.ask('shopping', { add: 'milk' })).toEqual({ boots: 1, items: ['milk'] });
  world.fake.enqueue(reply.text('Light on the kitchen tiles.'));
  expect(await world.system.ask('poet', 'a poem about the kitchen')).toBe('Light on the kitchen tiles.');

  const oldSystem = world.system;
  expect(await world.restart()).toEqual({ restored: ['shopping', 'poet'], failed: [] });
  expect(world.system).not.toBe(oldSystem);
  expect(await world.system.ask('shopping', { add: 'eggs' })).toEqual({ boots: 2, items: ['milk', 'eggs'] });
  // The llm agent continues its conversation.
  world.fake.enqueue(reply.text('Steam over the cups.'));
  expect(await world.system.ask('poet', { text: 'another one' })).toBe('Steam over the cups.');
  const messages = (world.fake.lastRequest().body as { messages: { role: string }[] }).messages;
  expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect((world.fake.lastRequest().body as { system: string }).system).toBe('You write one-line poems.');
});

test('llm agents: answers ledgered to them, budget refusals come back as failed tasks', async () => {
  await world.agents.spawner.spawn({ name: 'helper', type: 'llm', system_prompt: 'Answer briefly.' } as never, { by: 'llm' });
  world.fake.enqueue(reply.text('Yes.', { usage: { input: 1_000_000, output: 1_000_000 } }));
  expect(await world.system.ask('helper', 'Is the door closed?')).toBe('Yes.');
  expect(world.llm.ledger.report({ period: 'all', agent: 'helper' }).totals.calls).toBe(1);
  world.llm.budget.setCaps({ day: 0.01 });
  const refused = JSON.parse(JSON.stringify(await world.system.ask('helper', 'again?'))) as { error: string; phase: string };
  expect(refused.phase).toBe('llm');
  expect(refused.error).toMatch(/budget/i);
  expect(world.system.get('helper')?.state).toBe('running');
});

test('a dynamic agent over budget gets the refusal as an error in its code', async () => {
  await world.agents.spawner.spawn({ name: 'chatty', type: 'dynamic', code: 'async function handleTask(agent, p) { try { return await agent.llm.chat(p); } catch (e) { return "refused: " + e.message; } }' } as never, { by: 'llm' });
  world.fake.enqueue(reply.text('ok', { usage: { input: 1_000_000, output: 1_000_000 } }));
  expect(await world.system.ask('chatty', 'hello')).toBe('ok');
  world.llm.budget.setCaps({ day: 0.01 });
  const answer = await until(() => world.system.ask<string>('chatty', 'hello again'), (a) => a.startsWith('refused'), 'a refusal');
  expect(answer).toMatch(/^refused: .*budget/i);
  expect(world.fake.requests.length).toBe(1);
});

test('hot-swap across the bus: the replacement keeps the subscription topic working and the old one stops publishing', async () => {
  const v = (n: number) => `async function setup(agent) { agent.subscribe('custom/ping', async () => { await agent.publish('custom/pong', { v: ${n} }); }); }`;
  await world.agents.spawner.spawn({ name: 'ponger', type: 'dynamic', code: v(1) } as never, { by: 'llm' });
  world.publish('custom/ping', {});
  await until(async () => world.on('custom/pong').map((s) => s.payload), (p) => p.length === 1, 'pong v1');
  await world.agents.spawner.spawn({ name: 'ponger', type: 'dynamic', code: v(2), replace: true } as never, { by: 'llm' });
  world.publish('custom/ping', {});
  const pongs = await until(async () => world.on('custom/pong').map((s) => s.payload), (p) => p.length >= 2, 'pong v2');
  expect(pongs).toEqual([{ v: 1 }, { v: 2 }]);
});
