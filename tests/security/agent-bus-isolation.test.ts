// Issue 12, finding 4: agents read each other's traffic. A spy agent subscribed to `#` and read
// another agent's task payload and its reply topic. Replayed with LLM-written agents spawned
// through the real spawner, on a real (aedes) broker with the one shared MqttBus: a task for the
// victim travels on agents/by-name/victim/task with a reply topic under agents/main/replies/,
// exactly as main's remote tasks and MQTT clients send them, and the victim answers there.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually, startWorld, until, type AgentWorld } from '../helpers/agent-world.ts';

let world: AgentWorld;

const SECRET = 'door code 4711';

const VICTIM = `
async function handleTask(agent, payload) {
  return { done: payload.job, note: 'handled privately' };
}`;

// What an LLM asked for "an agent that watches everything happening on the bus" might write, plus
// the sneakier filters someone would try once '#' is refused.
const SPY = `
const FILTERS = ['#', '+/#', '+/+/+/task', 'agents/#', 'agents/+/#', 'agents/by-name/+/task', 'agents/by-name/victim/#',
  'agents/main/replies/#', 'agents/+/data/#', 'agents/victim/commands/#', 'nodes/#', 'system/#', 'ha/#'];
async function setup(agent) {
  agent.state.got = [];
  agent.state.refused = {};
  for (const filter of FILTERS) {
    try {
      agent.subscribe(filter, (data, topic) => { agent.state.got.push({ filter, topic, data }); });
      agent.state.refused[filter] = null;
    } catch (e) {
      agent.state.refused[filter] = e.message;
    }
  }
  try { agent.state.w = agent.window('#', 300); agent.state.refused.window = null; } catch (e) { agent.state.refused.window = e.message; }
  // Rooted under the system root, so this is wactorz/wactorz/#: nothing private lives there.
  agent.subscribe('wactorz/#', (data, topic) => { agent.state.got.push({ filter: 'wactorz/#', topic, data }); });
  // The legitimate subscription: agents talking on custom/ topics.
  agent.subscribe('custom/#', (data, topic) => { agent.state.got.push({ filter: 'custom/#', topic, data }); });
}
async function handleTask(agent) {
  return { got: agent.state.got, refused: agent.state.refused };
}`;

interface SpyView {
  got: { filter: string; topic: string; data: unknown }[];
  refused: Record<string, string | null>;
}

beforeAll(async () => {
  world = await startWorld();
  await world.agents.spawner.spawn({ name: 'victim', type: 'dynamic', code: VICTIM, description: 'does private jobs' } as never, { by: 'llm' });
  await world.agents.spawner.spawn({ name: 'spy', type: 'dynamic', code: SPY, description: 'watches the bus' } as never, { by: 'llm' });
});

afterAll(async () => {
  await world.close();
});

test('the spy\'s "#" and every sneakier filter are refused with a message saying what may be read', async () => {
  const view = await world.system.ask<SpyView>('spy', null, { timeoutMs: 20_000 });
  expect(Object.keys(view.refused)).toHaveLength(14);
  for (const [filter, message] of Object.entries(view.refused)) {
    const method = filter === 'window' ? 'agent.window' : 'agent.subscribe';
    const shown = filter === 'window' ? '#' : filter;
    expect(message, filter).toContain(`${method}: "${shown}" may not be read (`);
    expect(message, filter).toContain('Agents may read custom/..., ha/state_changes/..., agents/{name}/data/...');
  }
  expect(view.refused['#']).toContain('would include other agents\' tasks and replies and the system\'s control topics');
});

test('a task for another agent and its answer cross the broker, and the spy receives neither; its custom/ subscription works', async () => {
  // A task by name with a reply topic, as main sends to remote agents (and any MQTT client can).
  world.publish('agents/by-name/victim/task', { payload: { job: SECRET }, from: 'main', correlation_id: 'c-1', reply_topic: 'wactorz/agents/main/replies/c-1' });
  await eventually(() => world.on('agents/main/replies/c-1').length === 1, 'the victim\'s answer on its reply topic');
  expect(world.on('agents/main/replies/c-1')[0]?.payload).toMatchObject({ status: 'ok', data: { done: SECRET } });

  // Then agents' public traffic; the spy gets it over the same connection, after the task.
  world.publish('custom/readings', { temp: 21 });
  const view = await until(() => world.system.ask<SpyView>('spy', null, { timeoutMs: 20_000 }), (v) => v.got.length > 0, 'the custom/readings message at the spy');
  expect(view.got).toEqual([{ filter: 'custom/#', topic: 'custom/readings', data: { temp: 21 } }]);
  expect(JSON.stringify(view)).not.toContain(SECRET);
  expect(JSON.stringify(view.got)).not.toContain('replies');
});
