// What an agent may read from the bus (issue 12, finding 4): no other agent's tasks or replies, no
// control topics, whatever the wildcards; the areas rules and recipes read keep working.
import { afterEach, describe, expect, test } from 'vitest';
import { readRefusal, unreadableReason } from '../../../server/src/sandbox/topic-access.ts';
import { sdkReference } from '../../../server/src/sandbox/sdk/reference.ts';
import { AgentPool, eventually } from '../../helpers/fake-agent-host.ts';

const pool = new AgentPool();
afterEach(() => pool.stopAll());

describe('unreadableReason', () => {
  test.each([
    '#', '+', '+/#', '+/+/task',
    'agents', 'agents/#', 'agents/+', 'agents/+/#', 'agents/+/task', 'agents/+/data/#', 'agents/by-name/#', 'agents/by-name/victim/task',
    'agents/main/replies/#', 'agents/victim/commands', 'agents/victim/commands/reply', 'agents/victim/chat', 'agents/victim/logs', 'agents/victim/#', 'agents/victim/+/x',
    'nodes/#', 'nodes/rpi/replies/abc', 'system/health', 'system/#',
    'ha/#', 'ha/+/x', 'ha/map/entities_with_location',
  ])('refuses %s', (filter) => {
    expect(unreadableReason(filter)).toBeTypeOf('string');
  });

  test.each([
    'custom/#', 'custom/+', 'custom/triggers/front-door', 'custom/presence/+/x',
    'ha/state_changes/#', 'ha/state_changes/sensor/+', 'ha/state_changes', 'ha/state_changes/person/person.anna',
    'agents/weather/data/#', 'agents/weather/data/today', 'agents/weather/data/+/x',
    'schedule/+/fired', 'home/state/binary_sensor/+', 'sensors/temp', 'wactorz/#',
  ])('allows %s', (filter) => {
    expect(unreadableReason(filter)).toBeUndefined();
  });

  test('the refusal names the method, the filter, why, and what may be read instead', () => {
    expect(readRefusal('agent.subscribe', '#')).toBe(
      'agent.subscribe: "#" may not be read (a filter starting with a wildcard would include other agents\' tasks and replies and the system\'s control topics). Agents may read custom/..., ha/state_changes/..., agents/{name}/data/... (another agent\'s public data, by name) and other topics agents publish to, such as schedule/... or home/...',
    );
    expect(readRefusal('agent.window', 'agents/+/data/x')).toMatch(/^agent\.window: "agents\/\+\/data\/x" may not be read \(.*by its name: agents\/\{name\}\/data\/\.\.\.\)/);
    expect(readRefusal('agent.subscribe', 'custom/#')).toBeUndefined();
  });
});

describe('in the sandbox', () => {
  test('subscribe("#") throws at the call, with the readable areas, and nothing is subscribed', async () => {
    const { agent, host } = await pool.start(`async function handleTask(agent, filter) {
      try { agent.subscribe(filter, () => {}); return 'subscribed'; } catch (e) { return e.message; }
    }`);
    for (const filter of ['#', '+/#', 'agents/by-name/+/task', 'agents/main/replies/#', 'nodes/+/replies/#', 'system/health']) {
      expect(await agent.handleTask(filter)).toMatch(new RegExp(`^agent\\.subscribe: "${filter.replace(/[+/]/g, '\\$&')}" may not be read .*Agents may read custom/\\.\\.\\.`));
    }
    expect(host.subscriptionCount).toBe(0);
    expect(await agent.handleTask('custom/+')).toBe('subscribed');
    expect(host.subscriptionCount).toBe(1);
  });

  test('a readable subscription still delivers; a refused one leaves the agent working', async () => {
    const { agent, host } = await pool.start(`async function setup(agent) {
      agent.state.got = [];
      try { agent.subscribe('#', (d) => agent.state.got.push(['spy', d])); } catch (e) { agent.state.refused = e.message; }
      agent.subscribe('custom/readings', (d, topic) => agent.state.got.push([topic, d]));
    }
    async function handleTask(agent) { return { got: agent.state.got, refused: agent.state.refused }; }`);
    // Only the readable subscription exists on the host, so only it can match.
    expect(host.emit('agents/by-name/victim/task', { payload: 'secret' })).toBe(0);
    expect(host.emit('custom/readings', { temp: 21 })).toBe(1);
    const seen = await eventually(async () => {
      const s = (await agent.handleTask(null)) as { got: unknown[]; refused: string };
      return s.got.length > 0 ? s : undefined;
    }, 'the custom/readings message');
    expect(seen.got).toEqual([['custom/readings', { temp: 21 }]]);
    expect(seen.refused).toContain('agent.subscribe: "#" may not be read');
  });

  test('window() is held to the same rule', async () => {
    const { agent, host } = await pool.start(`async function handleTask(agent, topic) {
      try { agent.window(topic, 60); return 'opened'; } catch (e) { return e.message; }
    }`);
    expect(await agent.handleTask('#')).toMatch(/^agent\.window: "#" may not be read/);
    expect(await agent.handleTask('agents/victim/chat')).toMatch(/^agent\.window: "agents\/victim\/chat" may not be read/);
    expect(host.windowsOpened).toEqual([]);
    expect(await agent.handleTask('ha/state_changes/sensor/temp')).toBe('opened');
  });
});

test('the SDK reference tells the LLM what it may subscribe to', () => {
  const ref = sdkReference();
  expect(ref).toContain("An agent reads custom/..., ha/state_changes/..., agents/{name}/data/... and other topics agents publish to; other agents' tasks and replies and the system's topics (agents/..., nodes/..., system/...) cannot be subscribed.");
  expect(ref).toContain("agent.subscribe('ha/state_changes/binary_sensor/+'");
});
