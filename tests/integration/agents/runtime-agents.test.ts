// The runtime wires spawned agents in: runtime.spawner spawns into the real process (embedded
// broker, demo home, SQLite in the data dir), the catalog agent answers, and a second runtime over
// the same data dir restores the agent with its state; a deleted one stays gone.
import { afterEach, expect, test } from 'vitest';
import type { Runtime } from '../../../server/src/runtime.ts';
import type { SpawnConfig } from '../../../server/src/agents/spawn-config/config-schema.ts';
import { runtimeIn } from '../../helpers/runtime.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const COUNTER = 'async function setup(agent) { agent.persist("boots", agent.recall("boots", 0) + 1); }\nasync function handleTask(agent) { return { boots: agent.recall("boots", 0), light: (await agent.ha.getState("light.living_room")).state }; }';

test('spawn through runtime.spawner, restore in the next runtime over the same data dir, delete for good', async () => {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const first = await runtimeIn(dir.path);
  let running: Runtime | undefined = first;
  cleanups.push(() => running?.stop());
  expect(await first.spawner.spawn({ name: 'counter', type: 'dynamic', code: COUNTER } as SpawnConfig, { by: 'user' })).toMatchObject({ status: 'spawned' });
  await first.spawner.spawn({ name: 'scratch', type: 'dynamic', code: COUNTER } as SpawnConfig, { by: 'user' });
  expect(await first.system.ask('counter', {})).toEqual({ boots: 1, light: 'on' });
  expect(await first.system.ask('catalog', { action: 'list' })).toMatchObject({ recipes: expect.arrayContaining([expect.objectContaining({ name: 'reminders' })]) as unknown });
  expect(await first.system.ask('catalog', 'list')).toContain('- **reminders**: ');
  expect(await first.spawner.delete('scratch')).toBe(true);
  await first.stop();

  const second = await runtimeIn(dir.path);
  running = second;
  expect(second.system.get('counter')?.state).toBe('running');
  expect(await second.system.ask('counter', {})).toEqual({ boots: 2, light: 'on' });
  expect(second.system.get('scratch')).toBeUndefined();
  expect(second.spawner.list().map((a) => a.name)).toEqual(['counter']);
});
