// The planner's live topic samples survive a restart: a second runtime over the same data dir
// shows the topics that carried data (marked as seen before the restart) before any new traffic,
// with the running agent's contract; a deleted agent's manifest and samples stay gone.
import { afterEach, expect, test } from 'vitest';
import type { Runtime } from '../../../server/src/runtime.ts';
import type { SpawnConfig } from '../../../server/src/agents/spawn-config/config-schema.ts';
import { topicSamples } from '../../../server/src/agents/planner/pipeline/discovery.ts';
import { eventually } from '../../helpers/eventually.ts';
import { runtimeIn } from '../../helpers/runtime.ts';
import { makeTempDir } from '../../helpers/tmp.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Publishes on its first boot only, so what the second runtime shows was seen before the restart.
const publisher = (topic: string) => `async function setup(agent) {
  agent.declareContract({ description: 'garden sensor', publishes: ['${topic}'] });
  if (agent.recall('published', false)) return;
  await agent.publish('${topic}', { moisture: 41, battery: 87 });
  agent.persist('published', true);
}`;

test('observed samples and manifests come back with their agents after a restart', async () => {
  const dir = makeTempDir();
  cleanups.push(() => dir.cleanup());
  const first = await runtimeIn(dir.path);
  let running: Runtime | undefined = first;
  cleanups.push(() => running?.stop());
  // A flood of distinct topics from the broker side, older than the agents' publishes: bounded on disk.
  for (let i = 0; i < 3_000; i++) first.topicBus.observe(`custom/flood/${i}`, { i });
  await first.spawner.spawn({ name: 'garden', type: 'dynamic', code: publisher('custom/garden/soil') } as SpawnConfig, { by: 'user' });
  await first.spawner.spawn({ name: 'scratch', type: 'dynamic', code: publisher('custom/scratch/out') } as SpawnConfig, { by: 'user' });
  const reg = first.topicBus.registry;
  await eventually(() => reg.sample('custom/garden/soil') !== undefined && reg.sample('custom/scratch/out') !== undefined, 'both agents publish');
  expect(await first.spawner.delete('scratch')).toBe(true);
  await first.stop();

  const second = await runtimeIn(dir.path);
  running = second;
  const samples = topicSamples(second.topicBus.registry);
  expect(samples).toContain('Topic: custom/garden/soil  (published by garden)');
  expect(samples).toContain('Fields: {moisture: number, battery: number}');
  expect(second.topicBus.registry.sample('custom/garden/soil')?.beforeRestart).toBe(true);
  expect(samples).toMatch(/Seen before restart at \d{4}-\d\d-\d\dT/);
  expect(samples).not.toContain('custom/scratch/out');
  expect(second.topicBus.registry.get('garden')).toMatchObject({ description: 'garden sensor', publishes: ['custom/garden/soil'] });
  expect(second.topicBus.registry.get('scratch')).toBeUndefined();
  const stored = second.db.prepare('SELECT COUNT(*) AS n FROM topic_samples').get() as { n: number };
  expect(stored.n).toBeLessThanOrEqual(500);
  expect(second.topicBus.registry.sample('custom/flood/0')).toBeUndefined();
  expect(second.topicBus.registry.sample('custom/flood/2999')?.beforeRestart).toBe(true);
});
