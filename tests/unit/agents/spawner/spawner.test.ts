// The spawner: validation, origins, reuse, hot-swap with rollback, delete for good, remote nodes,
// install, restore; with real isolates on the real kernel.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Actor } from '../../../../server/src/core/actor.ts';
import { executeCommand } from '../../../../server/src/core/commands.ts';
import type { Message } from '../../../../server/src/core/messages.ts';
import { SpawnError } from '../../../../server/src/agents/spawner/agent-spawner.ts';
import type { RemoteNodes } from '../../../../server/src/agents/spawner/remote.ts';
import type { SpawnConfig } from '../../../../server/src/agents/spawn-config/config-schema.ts';
import { dyn, makeAgentsEnv, until, type AgentsEnv } from './fixtures.ts';

let env: AgentsEnv;
beforeEach(async () => {
  env = await makeAgentsEnv();
});
afterEach(async () => {
  await env.close();
});

const V1 = 'async function setup(agent) { agent.persist("seen", (agent.recall("seen", 0)) + 1); }\nasync function handleTask(agent, p) { return "v1:" + agent.recall("seen", 0); }';
const V2 = 'async function handleTask(agent, p) { return "v2:" + agent.recall("seen", 0); }';
const SETUP_THROWS = 'async function setup(agent) { agent.persist("junk", 1); agent.declareContract({ publishes: ["custom/x"] }); throw new Error("setup cannot work"); }\nasync function handleTask() { return 1; }';

test('a spawn starts the agent, saves its config in the registry and answers tasks', async () => {
  const outcome = await env.agents.spawner.spawn(dyn('echo', V1, { description: 'says its version' }), { by: 'llm' });
  expect(outcome).toEqual({ status: 'spawned', id: 'echo', name: 'echo', type: 'dynamic', warnings: [] });
  expect(env.system.get('echo')).toMatchObject({ kind: 'dynamic', state: 'running' });
  expect(await env.system.ask('echo', {})).toBe('v1:1');
  expect(env.agents.spawner.list()).toEqual([{ id: 'echo', name: 'echo', type: 'dynamic', description: 'says its version', createdAt: new Date(env.clock.now()).toISOString() }]);
});

test('an invalid config is refused with the field named, and nothing is started', async () => {
  const err = await env.agents.spawner.spawn({ name: 'Bad Name!', type: 'dynamic', code: 'x' } as SpawnConfig, { by: 'llm' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SpawnError);
  expect((err as SpawnError).message).toContain('name: must be a slug');
  expect((err as SpawnError).field).toBe('name');
  await expect(env.agents.spawner.spawn({ name: 'x', type: 'dynamic', code: 'async function setup(){}', trusted: true } as unknown as SpawnConfig, { by: 'llm' })).rejects.toThrow('a spawn block cannot grant trusted mode');
  expect(env.system.list().filter((a) => a.kind === 'dynamic')).toEqual([]);
  expect(env.agents.spawner.list()).toEqual([]);
});

test('grants come from the user only, and must be known grants', async () => {
  await expect(env.agents.spawner.spawn(dyn('a', V2), { by: 'planner', ruleId: 'r1', grants: ['ha:sensitive'] } as never)).rejects.toThrow('only the user can grant');
  await expect(env.agents.spawner.spawn(dyn('a', V2), { by: 'user', grants: ['root'] })).rejects.toThrow('unknown grant "root"');
  await env.agents.spawner.spawn(dyn('a', V2), { by: 'user', grants: ['ha:sensitive:lock.front_door'] });
  expect(env.agents.spawner.meta.get('a')).toEqual({ origin: { by: 'user', grants: ['ha:sensitive:lock.front_door'] }, grants: ['ha:sensitive:lock.front_door'] });
});

test('a name clash without replace reuses the running agent', async () => {
  await env.agents.spawner.spawn(dyn('echo', V1), { by: 'llm' });
  const again = await env.agents.spawner.spawn(dyn('echo', V2), { by: 'llm' });
  expect(again.status).toBe('reused');
  expect(again.warnings.join()).toContain('already running; it was reused');
  expect(await env.system.ask('echo', {})).toBe('v1:1');
  expect(env.db.prepare('SELECT config FROM spawn_registry').pluck().get() as string).toContain('v1:');
});

test('replace hot-swaps: the new code runs with the old state, and the registry holds the new config', async () => {
  await env.agents.spawner.spawn(dyn('echo', V1), { by: 'llm' });
  const swapped = await env.agents.spawner.spawn(dyn('echo', V2, { replace: true }), { by: 'llm' });
  expect(swapped.status).toBe('replaced');
  expect(await env.system.ask('echo', {})).toBe('v2:1');
  const saved = JSON.parse(env.db.prepare("SELECT config FROM spawn_registry WHERE name = 'echo'").pluck().get() as string) as { code: string; replace: boolean };
  expect(saved).toMatchObject({ code: V2, replace: false });
});

test('a replacement that fails to start leaves the old version running and its config in place', async () => {
  await env.agents.spawner.spawn(dyn('echo', V1), { by: 'llm' });
  const err = await env.agents.spawner.spawn(dyn('echo', SETUP_THROWS, { replace: true }), { by: 'llm' }).catch((e: unknown) => e as Error);
  expect(err).toBeInstanceOf(SpawnError);
  expect((err as Error).message).toMatch(/^replacing "echo" failed: .*setup\(\) threw Error: setup cannot work.*; the previous version is running again$/);
  expect(env.system.get('echo')?.state).toBe('running');
  expect(await env.system.ask('echo', {})).toBe('v1:2');
  const saved = JSON.parse(env.db.prepare("SELECT config FROM spawn_registry WHERE name = 'echo'").pluck().get() as string) as { code: string };
  expect(saved.code).toBe(V1);
});

test('a bad spawn leaves nothing half-spawned: no actor, no state, no registry entry, no contract, manifest cleared', async () => {
  const err = await env.agents.spawner.spawn(dyn('broken', SETUP_THROWS), { by: 'llm' }).catch((e: unknown) => e as Error);
  expect(err).toBeInstanceOf(SpawnError);
  expect((err as Error).message).toContain('spawn "broken" failed: setup: setup() threw Error: setup cannot work');
  expect(env.system.get('broken')).toBeUndefined();
  expect(env.system.store.keys('broken')).toEqual([]);
  expect(env.agents.spawner.list()).toEqual([]);
  expect(env.agents.spawner.meta.get('broken')).toBeUndefined();
  expect(env.topicBus.registry.get('broken')).toBeUndefined();
  expect(env.agents.supervision.has('broken')).toBe(false);
  // The start failure was published as fatal, and the agent was started exactly once.
  const errors = env.bus.sentTo('wactorz/agents/broken/errors') as { severity: string; message: string }[];
  expect(errors.some((e) => e.severity === 'fatal' && e.message.includes('will not be restarted until its code is fixed'))).toBe(true);
  expect(env.bus.sent.filter((m) => m.topic === 'wactorz/agents/broken/logs' && m.payload.includes('self-correction')).length).toBe(0);
});

test('without an LLM, code that does not compile is refused before anything starts', async () => {
  await expect(env.agents.spawner.spawn(dyn('syntax', 'async function setup(agent) {'), { by: 'llm' })).rejects.toThrow(/spawn "syntax" rejected: code: .*line 1/);
  expect(env.system.get('syntax')).toBeUndefined();
});

test('delete stops the agent and removes it for good: state, registry and manifest; not restored', async () => {
  await env.agents.spawner.spawn(dyn('echo', V1), { by: 'llm' });
  expect(env.system.store.get('echo', 'seen')).toBe(1);
  expect(await env.agents.spawner.delete('echo')).toBe(true);
  expect(env.system.get('echo')).toBeUndefined();
  expect(env.system.store.keys('echo')).toEqual([]);
  expect(env.agents.spawner.list()).toEqual([]);
  expect(env.bus.sent.filter((m) => m.topic === 'wactorz/agents/echo/manifest').at(-1)).toMatchObject({ payload: '', retain: true });
  expect(await env.agents.spawner.delete('echo')).toBe(false);
  await env.restart();
  expect(await env.agents.spawner.restoreAll()).toEqual({ restored: [], failed: [] });
  expect(env.system.get('echo')).toBeUndefined();
});

test('the kernel delete command removes a spawned agent from the registry too', async () => {
  await env.agents.spawner.spawn(dyn('echo', V1), { by: 'llm' });
  expect(await executeCommand(env.system, 'echo', { command: 'delete' })).toMatchObject({ status: 'ok' });
  // The registry follows the system's `deleted` event.
  await until(async () => env.agents.spawner.list(), (l) => l.length === 0, 'the registry entry removed');
});

test('restoreAll brings every registered agent back in a new system, with its state', async () => {
  await env.agents.spawner.spawn(dyn('echo', V1), { by: 'llm' });
  await env.agents.spawner.spawn(dyn('other', V2), { by: 'llm' });
  await env.restart();
  expect(env.system.get('echo')).toBeUndefined();
  expect(await env.agents.spawner.restoreAll()).toEqual({ restored: ['echo', 'other'], failed: [] });
  expect(await env.system.ask('echo', {})).toBe('v1:2');
  expect(await env.system.ask('other', {})).toBe('v2:0');
});

test('a registered agent that no longer starts is reported by restoreAll, not thrown, and keeps its record', async () => {
  await env.agents.spawner.spawn(dyn('flaky', 'async function setup(agent) { if (agent.recall("broken", false)) throw new Error("config gone"); }\nasync function handleTask() { return "ok"; }'), { by: 'llm' });
  env.system.store.set('flaky', 'broken', true);
  await env.restart();
  const result = await env.agents.spawner.restoreAll();
  expect(result.restored).toEqual([]);
  expect(result.failed).toEqual([{ name: 'flaky', error: expect.stringContaining('config gone') as unknown }]);
  expect(env.agents.spawner.list().map((a) => a.name)).toEqual(['flaky']);
  expect(env.system.store.get('flaky', 'broken')).toBe(true);
});

test('node set: refused clearly without remote nodes; handed to the remote hook when one is plugged in', async () => {
  await expect(env.agents.spawner.spawn(dyn('pi-agent', V2, { node: 'rpi-kitchen' }), { by: 'llm' })).rejects.toThrow('remote nodes are not available yet: cannot run the agent on "rpi-kitchen"');
  expect(env.system.get('pi-agent')).toBeUndefined();
  await env.close();
  const started: string[] = [];
  const remote: RemoteNodes = { has: (n) => n === 'rpi-kitchen', spawn: async (n, c) => (started.push(`${n}/${c.name}`), { id: `${c.name}@${n}` }), remove: async () => {} };
  env = await makeAgentsEnv({ remote });
  const outcome = await env.agents.spawner.spawn(dyn('pi-agent', V2, { node: 'rpi-kitchen' }), { by: 'llm' });
  expect(outcome).toMatchObject({ status: 'spawned', id: 'pi-agent@rpi-kitchen', node: 'rpi-kitchen' });
  expect(started).toEqual(['rpi-kitchen/pi-agent']);
  expect(env.system.get('pi-agent')).toBeUndefined();
  expect(env.agents.spawner.list()[0]).toMatchObject({ name: 'pi-agent', node: 'rpi-kitchen' });
});

test('install is reported as not available to sandboxed agents; the agent still spawns', async () => {
  const outcome = await env.agents.spawner.spawn(dyn('needs-pkg', V2, { install: ['axios'] }), { by: 'llm' });
  expect(outcome.status).toBe('spawned');
  expect(outcome.warnings.join('\n')).toContain('Packages cannot be installed for sandboxed agents (asked for: axios)');
});

test('types without a factory and names of built-in actors are refused', async () => {
  await expect(env.agents.spawner.spawn({ name: 'lamp-rule', type: 'ha_actuator', mqtt_topics: ['custom/x'], actions: [{ service: 'light.turn_on', entity_id: 'light.kitchen' }] } as unknown as SpawnConfig, { by: 'llm' })).rejects.toThrow('no factory registered for "ha_actuator"');
  class Lamp extends Actor {
    protected handle(_m: Message): unknown {
      return undefined;
    }
  }
  await env.system.spawn(new Lamp({ name: 'lamp' }));
  await expect(env.agents.spawner.spawn(dyn('lamp', V2, { replace: true }), { by: 'llm' })).rejects.toThrow('belongs to a built-in agent');
  expect(env.system.get('lamp')?.state).toBe('running');
});

test('two spawns of the same name at once do not interleave', async () => {
  const [a, b] = await Promise.all([env.agents.spawner.spawn(dyn('twin', V1), { by: 'llm' }), env.agents.spawner.spawn(dyn('twin', V2), { by: 'llm' })]);
  expect([a.status, b.status]).toEqual(['spawned', 'reused']);
  expect(await env.system.ask('twin', {})).toBe('v1:1');
});

test('a type registered after restoreAll gets its saved agents restored then', async () => {
  env.db.prepare("INSERT INTO spawn_registry (name, type, config, node, created_at, updated_at) VALUES ('nightly', 'scheduled', ?, NULL, 1, 1)").run(JSON.stringify({ name: 'nightly', type: 'scheduled', schedule: { kind: 'daily', at: '23:00' }, publish_topic: 'schedule/nightly/fired' }));
  const first = await env.agents.spawner.restoreAll();
  expect(first.failed).toEqual([{ name: 'nightly', error: expect.stringContaining('no factory registered for "scheduled"') as unknown }]);
  const started: string[] = [];
  env.agents.spawner.registerType({ type: 'scheduled', start: async (config) => (started.push(config.name), { id: config.name }) });
  await until(async () => started, (s) => s.length === 1, 'the late restore');
  expect(started).toEqual(['nightly']);
});

test('replacing a local agent with a version on a node stops the local copy; a node that fails brings it back', async () => {
  await env.close();
  let fail = true;
  const remote: RemoteNodes = { has: (n) => n === 'rpi-kitchen', spawn: async (n, c) => { if (fail) throw new Error('node did not answer'); return { id: `${c.name}@${n}` }; }, remove: async () => {} };
  env = await makeAgentsEnv({ remote });
  await env.agents.spawner.spawn(dyn('mover', `${V1}\nasync function process() {}`), { by: 'user' });

  await expect(env.agents.spawner.spawn(dyn('mover', V2, { node: 'rpi-kitchen', replace: true }), { by: 'user' })).rejects.toThrow('moving "mover" to rpi-kitchen failed: node did not answer; the local version is running again');
  expect(await env.system.ask('mover', {})).toBe('v1:2');
  const withLocal = env.clock.pending();
  expect(env.agents.spawner.list()[0]).not.toHaveProperty('node');

  fail = false;
  const outcome = await env.agents.spawner.spawn(dyn('mover', V2, { node: 'rpi-kitchen', replace: true }), { by: 'user' });
  expect(outcome).toMatchObject({ status: 'replaced', id: 'mover@rpi-kitchen', node: 'rpi-kitchen' });
  // The local copy is stopped: its poll timer is released and it answers no task.
  expect(env.system.get('mover')?.state).toBe('stopped');
  expect(env.clock.pending()).toBe(withLocal - 1);
  expect(env.agents.spawner.list()[0]).toMatchObject({ name: 'mover', node: 'rpi-kitchen' });
});
