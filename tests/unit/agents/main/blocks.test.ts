import { afterEach, describe, expect, it } from 'vitest';
import { SDK_REFERENCE } from '../../../../server/src/sandbox/sdk/reference.ts';
import { reply, systemText } from '../../../helpers/fake-llm/index.ts';
import { EchoAgent, deltas, harness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const SPAWN = (name: string) =>
  `<spawn>\n{"name": "${name}", "type": "dynamic", "description": "Weather on request", "code": "async function handleTask(agent, payload) { return 'sunny'; }"}\n</spawn>`;

describe('blocks in main’s answer', () => {
  it('spawn through the AgentSpawner as the LLM, hidden from the streamed text, with the result reported', async () => {
    h = await harness();
    h.script.chat = () => reply.text(`I'll start a weather agent for you.\n\n${SPAWN('weather-agent')}\n\nAsk it anything.`, { chunks: ['I\'ll start a weather agent for you.\n\n<sp', 'awn>\n{"name": "weather-agent", ', `"type": "dynamic", "description": "Weather on request", "code": "async function handleTask(agent, payload) { return 'sunny'; }"}\n</spawn>\n\nAsk `, 'it anything.'] });
    const r = await h.turn('spawn an agent that tells the weather');
    expect(r.reply).toBe("I'll start a weather agent for you.\n\nAsk it anything.\n\n✅ weather-agent (dynamic) spawned.");
    expect(deltas(r.events)).toBe(r.reply);
    expect(r.events.some((e) => e.type === 'delta' && /<|\{|"name"/.test(e.text))).toBe(false);
    expect(r.events).toContainEqual({ type: 'spawn', name: 'weather-agent', ok: true, text: 'weather-agent (dynamic) spawned.', agentType: 'dynamic', status: 'spawned' });
    expect(h.spawner.spawned).toEqual([{ config: expect.objectContaining({ name: 'weather-agent', type: 'dynamic', poll_interval: 60 }) as unknown, origin: { by: 'llm', conversationId: 'c1' } }]);
    expect(h.system.get('weather-agent')?.state).toBe('running');
    // The model remembers the block it wrote; the transcript shows what the user saw.
    const stored = h.db.prepare("SELECT body FROM llm_messages WHERE conversation = 'main/alice/c1' ORDER BY seq").pluck().all() as string[];
    expect(stored[1]).toContain('<spawn>');
    // The spawn line is in the answer ("✅ weather-agent (dynamic) spawned."), so it is not stored twice.
    expect(h.orch.history.get('alice', 'c1')?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('report an invalid block and a refused spawn without stopping the good ones', async () => {
    h = await harness();
    h.spawner.refuse.set('bad-code', 'code does not compile: Unexpected token');
    h.script.chat = () => `Three agents:\n${SPAWN('good-one')}\n<spawn>{"name": "Not A Slug", "type": "dynamic", "code": "x"}</spawn>\n${SPAWN('bad-code')}`;
    const r = await h.turn('make three agents');
    expect(r.reply).toContain('Three agents:');
    expect(r.reply).toContain('✅ good-one (dynamic) spawned.');
    expect(r.reply).toMatch(/⚠️ spawn "Not A Slug" rejected: .*slug/);
    expect(r.reply).toContain('⚠️ bad-code was not spawned: code does not compile: Unexpected token');
    expect(r.events.filter((e) => e.type === 'spawn').map((e) => e.type === 'spawn' && e.ok)).toEqual([true, false, false]);
    expect(h.system.get('good-one')?.state).toBe('running');
  });

  it('say so when no spawner is running', async () => {
    h = await harness({ spawner: 'none' });
    h.script.chat = () => SPAWN('weather-agent');
    const r = await h.turn('spawn a weather agent');
    expect(r.reply).toBe('⚠️ weather-agent was not spawned: spawning agents is not available yet (no agent spawner is running).');
  });

  it('delete spawned agents only, never system actors or unknown names', async () => {
    h = await harness();
    await h.spawner.spawn({ name: 'old-one', type: 'llm', system_prompt: 'x', description: '', replace: false, publishes: [], subscribes: [], capabilities: [] }, { by: 'user' });
    h.script.chat = () => 'Cleaning up. <delete>old-one</delete><delete>ghost</delete><delete>main</delete>';
    const r = await h.turn('remove the old agents');
    expect(r.reply).toBe(
      'Cleaning up.\n\n🗑️ old-one deleted.\n⚠️ There is no spawned agent named ghost; nothing was deleted.\n⚠️ delete "main": name "main" is reserved for a system actor; pick another name',
    );
    expect(h.spawner.deleted).toEqual(['old-one']);
    expect(h.system.get('old-one')).toBeUndefined();
  });

  it('delegate to running agents and show their answers', async () => {
    h = await harness();
    const calc = await h.system.spawn(new EchoAgent({ name: 'calc' }));
    h.script.chat = () => 'Asking calc. <delegate agent="calc">{"a": 2, "b": 3}</delegate> <delegate agent="nobody">hi</delegate>';
    const r = await h.turn('add 2 and 3 with calc');
    expect(calc.tasks).toEqual([{ a: 2, b: 3 }]);
    expect(r.reply).toContain('↪️ calc: ```json\n{\n  "a": 2,\n  "b": 3,\n  "echoed": true\n}\n```');
    expect(r.reply).toContain('⚠️ There is no agent named nobody.');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'delegate', agent: 'calc', ok: true, result: { a: 2, b: 3, echoed: true } }));
  });

  it('are taught in main’s system prompt with the SDK reference and the agents running now', async () => {
    h = await harness();
    await h.spawner.spawn({ name: 'energy-tracker', type: 'llm', system_prompt: 'x', description: 'Tracks energy use', replace: false, publishes: [], subscribes: [], capabilities: [] }, { by: 'user' });
    h.script.chat = () => 'ok';
    await h.turn('what can you do?');
    const system = systemText(h.calls('conversation')[0]);
    expect(system).toContain('<spawn>');
    expect(system).toContain('<delete>agent-name</delete>');
    expect(system).toContain('<delegate agent="agent-name">');
    expect(system).toContain(SDK_REFERENCE);
    expect(system).toContain('- energy-tracker (llm, running): Tracks energy use');
  });

  it('leave an LLM failure as a readable answer, not an exception', async () => {
    h = await harness();
    h.script.chat = () => reply.error(400, { message: 'prompt is too long' });
    const r = await h.turn('hello');
    expect(r.route).toBe('other');
    expect(r.reply).toMatch(/^I could not get an answer from the LLM: .*prompt is too long/);
  });
});
