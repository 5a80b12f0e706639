// The trace recorder and its bounds over a real SQLite file: only a rule's agents are traced,
// evaluations are written in batches (a timer on the injected clock, a size, a read, stop()), each
// rule keeps its newest `maxPerRule` evaluations younger than `maxAgeMs`, agent.trace steps are
// bounded per agent apart from them, and a flood stays bounded on disk.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { TraceRecord } from '../../../../../server/src/agents/ha/trace.ts';
import { RuleTraceRecorder } from '../../../../../server/src/agents/planner/traces/recorder.ts';
import { TraceStore, type TraceBounds } from '../../../../../server/src/agents/planner/traces/trace-store.ts';
import { ManualClock } from '../../../../../server/src/core/clock.ts';
import { openDatabase, type Db } from '../../../../../server/src/store/database.ts';
import { makeTempDir } from '../../../../helpers/tmp.ts';

let dir: ReturnType<typeof makeTempDir>;
let db: Db;
let clock: ManualClock;
let store: TraceStore;

beforeEach(() => {
  dir = makeTempDir('wactorz-traces-');
  db = openDatabase({ dataDir: dir.path });
  clock = new ManualClock();
  store = new TraceStore(db);
});
afterEach(() => {
  db.close();
  dir.cleanup();
});

const RULES: Record<string, string> = { 'porch-light': 'porch', 'porch-detector': 'porch', 'garage-close': 'garage' };

function recorder(bounds?: TraceBounds): RuleTraceRecorder {
  const r = new RuleTraceRecorder({ store, clock, ...(bounds ? { bounds } : {}), flushMs: 1_000, maxBuffered: 100 });
  r.attachRules((agent) => RULES[agent]);
  return r;
}

function evaluation(agent: string, outcome: TraceRecord['outcome'] = 'filtered', message = '{}'): TraceRecord {
  return { agent, kind: 'trigger', at: clock.now(), durationMs: 1, topic: 'wactorz/custom/x', message, outcome, steps: [{ kind: 'filter', label: 'go', ok: outcome !== 'filtered', detail: 'false, wanted true' }] };
}

function step(agent: string, label: string): TraceRecord {
  return { agent, kind: 'agent', at: clock.now(), durationMs: 0, topic: null, message: null, outcome: 'step', steps: [{ kind: 'agent', label, ok: true }] };
}

test('only agents of a rule are traced, under their rule', () => {
  const r = recorder();
  expect(r.wants('porch-light')).toBe(true);
  expect(r.wants('someone-else')).toBe(false);
  r.record(evaluation('someone-else'));
  r.record(evaluation('porch-light', 'acted'));
  r.record(evaluation('garage-close'));
  expect(r.list('porch').map((t) => [t.ruleId, t.agent, t.outcome])).toEqual([['porch', 'porch-light', 'acted']]);
  expect(store.count()).toBe(2);
});

test('evaluations are written in one batch when the flush timer runs, not one write each', async () => {
  const r = recorder();
  r.record(evaluation('porch-light'));
  r.record(evaluation('porch-light'));
  expect(store.count()).toBe(0);
  await clock.advance(1_000);
  expect(store.count()).toBe(2);
  for (let i = 0; i < 100; i++) r.record(evaluation('porch-light'));
  // maxBuffered reached: written at once, without waiting for the timer.
  expect(store.count()).toBe(102);
});

test('stop() writes what is buffered: a restart finds every trace', () => {
  const r = recorder();
  r.record(evaluation('porch-light', 'acted', '{"door":"open"}'));
  r.stop();
  db.close();
  db = openDatabase({ dataDir: dir.path });
  store = new TraceStore(db);
  const [t] = recorder().list('porch');
  expect(t).toMatchObject({ agent: 'porch-light', outcome: 'acted', message: '{"door":"open"}', steps: [{ kind: 'filter', label: 'go', ok: true }] });
});

test('each rule keeps its newest evaluations; another rule\'s flood does not push them out', () => {
  const r = recorder({ maxPerRule: 10, maxAgeMs: 86_400_000 });
  r.record(evaluation('garage-close', 'acted'));
  for (let i = 0; i < 25; i++) r.record(evaluation('porch-light', i === 24 ? 'acted' : 'filtered'));
  r.flush();
  expect(store.count('porch')).toBe(10);
  expect(r.list('porch')[0]?.outcome).toBe('acted');
  expect(r.list('garage').map((t) => t.outcome)).toEqual(['acted']);
});

test('agent.trace steps are bounded per agent, apart from the evaluations', () => {
  const r = recorder({ maxPerRule: 5, maxAgeMs: 86_400_000 });
  for (let i = 0; i < 3; i++) r.record(evaluation('porch-light'));
  for (let i = 0; i < 50; i++) r.record(step('porch-detector', `step ${i}`));
  const all = r.list('porch');
  expect(all.filter((t) => t.kind === 'trigger')).toHaveLength(3);
  expect(all.filter((t) => t.kind === 'agent').map((t) => t.steps[0]?.label)).toEqual(['step 49', 'step 48', 'step 47', 'step 46', 'step 45']);
});

test('traces older than the age bound go, at the next write and at start', async () => {
  const r = recorder({ maxPerRule: 100, maxAgeMs: 3_600_000 });
  r.record(evaluation('porch-light'));
  r.record(evaluation('garage-close'));
  r.flush();
  await clock.advance(2 * 3_600_000);
  r.record(evaluation('porch-light', 'acted'));
  r.flush();
  expect(r.list('porch').map((t) => t.outcome)).toEqual(['acted']);
  // The garage rule went quiet: its old trace goes when the recorder starts.
  expect(store.count('garage')).toBe(1);
  recorder({ maxPerRule: 100, maxAgeMs: 3_600_000 }).start();
  expect(store.count('garage')).toBe(0);
});

test('a window of time, and forgetting a deleted rule', async () => {
  const r = recorder();
  r.record(evaluation('porch-light'));
  await clock.advance(600_000);
  const middle = clock.now();
  r.record(evaluation('porch-light', 'acted'));
  await clock.advance(600_000);
  r.record(evaluation('porch-light', 'cooldown'));
  expect(r.list('porch', { from: middle - 60_000, to: middle + 60_000 }).map((t) => t.outcome)).toEqual(['acted']);
  r.forget('porch');
  expect(r.list('porch')).toEqual([]);
});

test('a flood of 10,000 evaluations stays at the bound, and so does the file', () => {
  const r = recorder({ maxPerRule: 200, maxAgeMs: 86_400_000 });
  const message = JSON.stringify({ entity_id: 'binary_sensor.porch', payload: 'x'.repeat(400) });
  for (let i = 0; i < 10_000; i++) r.record(evaluation('porch-light', 'filtered', message));
  r.flush();
  expect(store.count('porch')).toBe(200);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(join(dir.path, 'wactorz.db')).size;
  // 200 traces of ~0.6 KB: well under a megabyte whatever the flood was.
  expect(bytes).toBeLessThan(1_000_000);
});
