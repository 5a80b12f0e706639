import { afterEach, expect, test } from 'vitest';
import { PlannerJob } from '../../../../server/src/agents/planner/planner-job.ts';
import type { PlannerOutcome } from '../../../../server/src/agents/planner/ports.ts';
import type { ActorSystem } from '../../../../server/src/core/system.ts';
import { makeSystem, settle } from '../../core/fixtures.ts';

let system: ActorSystem | undefined;
afterEach(async () => {
  await system?.stop();
  system = undefined;
});

test('a paused planner still gives up at its deadline and stops', async () => {
  const made = makeSystem();
  system = made.system;
  const outcomes: PlannerOutcome[] = [];
  const job = new PlannerJob({ name: 'planner-x' }, { work: () => new Promise<PlannerOutcome>(() => {}), deadlineMs: 1000, settle: (o) => outcomes.push(o) });
  await system.spawn(job);
  expect(system.pauseActor('planner-x')).toBe(true);
  await made.clock.advance(1000);
  await settle();
  expect(outcomes).toEqual([{ kind: 'error', text: expect.stringContaining('gave up after 1 s') as unknown }]);
  expect(system.get('planner-x')?.state).not.toMatch(/running|paused/);
  expect(made.clock.pending()).toBe(0);
});
