// The plan cache: a repeat of the same task (however it is capitalised or punctuated) hits, also
// from a new cache over the same database; it expires after 24 h and is dropped when an agent
// it relies on is gone.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { normalizeTask, PlanCache } from '../../../../server/src/agents/planner/task/plan-cache.ts';
import type { TaskPlan } from '../../../../server/src/agents/planner/task/task-plan.ts';
import { openDatabase, type Db } from '../../../../server/src/store/database.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

let dir: ReturnType<typeof makeTempDir>;
let db: Db;
const clock = new ManualClock();
const plan: TaskPlan = { steps: [{ step: 'w', agent: 'weather-agent', task: 'weather', parallel: false, depends_on: [], spawn_config: null }] };
const alive = () => true;

beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase({ dataDir: dir.path });
});
afterEach(() => {
  db.close();
  dir.cleanup();
});

test('normalisation ignores case, punctuation and spacing', () => {
  expect(normalizeTask('  Get the Weather in Athens, then   the AI news! ')).toBe(normalizeTask('get the weather in athens then the ai news'));
});

test('a repeat hits, counts its hits, and survives a new cache over the same file', async () => {
  const cache = new PlanCache(db, () => clock.now());
  expect(cache.lookup('Weather in Athens?', alive)).toEqual({ status: 'miss' });
  cache.save('Weather in Athens?', plan, ['weather-agent']);
  expect(cache.lookup('weather in athens', alive)).toMatchObject({ status: 'hit', plan, hits: 1 });
  db.close();
  db = openDatabase({ dataDir: dir.path });
  expect(new PlanCache(db, () => clock.now()).lookup('WEATHER in Athens', alive)).toMatchObject({ status: 'hit', plan, hits: 2 });
});

test('an entry expires after 24 h', async () => {
  const cache = new PlanCache(db, () => clock.now());
  cache.save('weather', plan, []);
  await clock.advance(24 * 3600_000 - 1);
  expect(cache.lookup('weather', alive).status).toBe('hit');
  await clock.advance(1);
  expect(cache.lookup('weather', alive)).toEqual({ status: 'expired' });
  expect(cache.lookup('weather', alive)).toEqual({ status: 'miss' });
});

test('an entry is invalidated when a required agent is gone', () => {
  const cache = new PlanCache(db, () => clock.now());
  cache.save('weather', plan, ['weather-agent']);
  expect(cache.lookup('weather', (n) => n !== 'weather-agent')).toEqual({ status: 'invalidated', missing: ['weather-agent'] });
  expect(cache.lookup('weather', alive)).toEqual({ status: 'miss' });
});

test('clear() drops everything', () => {
  const cache = new PlanCache(db, () => clock.now());
  cache.save('a', plan, []);
  cache.save('b', plan, []);
  expect(cache.clear()).toBe(2);
  expect(cache.lookup('a', alive).status).toBe('miss');
});
