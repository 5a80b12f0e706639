// Observed samples and contracts across restarts: a second registry over the same SQLite file gets
// them back, marked as seen before the restart; a flood stays bounded; broker junk is stored as
// data; a gone agent's manifest and samples do not come back. Real SQLite, a manual clock.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { openDatabase, type Db } from '../../../../server/src/store/database.ts';
import { TopicRegistry } from '../../../../server/src/bus/topic-bus/registry.ts';
import { TopicSampleStore } from '../../../../server/src/bus/topic-bus/sample-store.ts';
import { TopicBusPersistence, type TopicBusPersistenceOptions } from '../../../../server/src/bus/topic-bus/persistence.ts';
import { formatSamplesForPrompt } from '../../../../server/src/bus/topic-bus/report.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function dataDir(): string {
  const dir = makeTempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}

/** One "process": a registry over the database in `dir`, restored at start. */
function boot(dir: string, clock: ManualClock, options: Partial<TopicBusPersistenceOptions> = {}) {
  const db: Db = openDatabase({ dataDir: dir });
  const registry = new TopicRegistry(clock);
  const store = new TopicSampleStore(db);
  const persistence = new TopicBusPersistence({ registry, store, clock, isAgent: () => true, ...options });
  const restored = persistence.start();
  const stop = () => {
    persistence.stop();
    db.close();
  };
  cleanups.push(() => {
    if (db.open) stop();
  });
  return { registry, store, persistence, restored, stop };
}

describe('TopicBusPersistence', () => {
  it('restores samples and contracts, marked as seen before the restart until new traffic', async () => {
    const dir = dataDir();
    const clock = new ManualClock(Date.parse('2026-12-01T10:00:00Z'));
    const first = boot(dir, clock);
    first.registry.declare('temp-sim', { publishes: ['sensors/data'], description: 'simulated temperature' });
    first.registry.observe('sensors/data', { temp: 30.5, humidity: 47 }, 'temp-sim');
    await clock.advance(60_000);
    first.registry.observe('sensors/data', { temp: 31 }, 'temp-sim');
    first.stop();

    const second = boot(dir, clock);
    expect(second.restored).toEqual({ samples: 1, manifests: ['temp-sim'], dropped: [] });
    expect(second.registry.sample('sensors/data')).toMatchObject({ publisher: 'temp-sim', beforeRestart: true, sample: { count: 2, fields: { temp: 'number', humidity: 'number' }, example: { temp: 31 } } });
    expect(second.registry.get('temp-sim')).toMatchObject({ description: 'simulated temperature', publishes: ['sensors/data'], observed_samples: { 'sensors/data': { count: 2 } } });
    const prompt = formatSamplesForPrompt(second.registry, ['sensors/data']);
    expect(prompt).toContain('Fields: {temp: number, humidity: number}');
    expect(prompt).toContain('Seen before restart at 2026-12-01T10:01:00.000Z (2 messages)');

    second.registry.observe('sensors/data', { temp: 32 }, 'temp-sim');
    expect(second.registry.sample('sensors/data')?.beforeRestart).toBeUndefined();
    expect(second.registry.sample('sensors/data')?.sample.count).toBe(3);
    expect(formatSamplesForPrompt(second.registry, ['sensors/data'])).not.toContain('before restart');
  });

  it('writes in batches: nothing before flushMs, everything at stop', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const p = boot(dir, clock, { flushMs: 5_000 });
    p.registry.observe('a/b', { x: 1 });
    p.registry.observe('a/c', { x: 2 });
    expect(p.store.count().samples).toBe(0);
    await clock.advance(5_000);
    expect(p.store.count().samples).toBe(2);
    p.registry.observe('a/d', { x: 3 });
    p.stop();
    const again = boot(dir, clock);
    expect(again.registry.observedTopics().sort()).toEqual(['a/b', 'a/c', 'a/d']);
  });

  it('keeps a flood of distinct topics bounded on disk and in its pending set, newest kept', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const p = boot(dir, clock, { maxTopics: 100 });
    for (let i = 0; i < 5_000; i++) {
      p.registry.observe(`flood/${i}`, { i });
      if (i % 1_000 === 999) await clock.advance(5_000);
    }
    expect(p.store.count().samples).toBe(100);
    p.stop();
    const again = boot(dir, clock, { maxTopics: 100 });
    expect(again.restored.samples).toBe(100);
    expect(again.registry.observedTopics()).toContain('flood/4999');
    expect(again.registry.observedTopics()).not.toContain('flood/0');
  });

  it('stores malformed and hostile payloads as data, and skips rows that do not parse', () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const p = boot(dir, clock, { maxSampleChars: 4_000 });
    const deep = JSON.parse('{"a":{"b":{"c":{"d":{"e":{"f":{"g":1}}}}}}}') as unknown;
    const proto = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":1}') as unknown;
    const huge = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`field_${i}`, 'x'.repeat(500)]));
    p.registry.observe('junk/text', 'not json {');
    p.registry.observe('junk/binary', new Uint8Array([0, 1, 2]));
    p.registry.observe('junk/deep', deep);
    p.registry.observe('junk/proto', proto);
    p.registry.observe('junk/code', { code: 'process.exit(1)', fn: '() => { throw new Error("ran") }' });
    p.registry.observe('junk/huge', huge);
    p.registry.observe(`junk/${'t'.repeat(2_000)}`, 1);
    p.stop();

    const db = openDatabase({ dataDir: dir });
    db.prepare("INSERT INTO topic_samples (topic, publisher, sample, last_seen) VALUES ('junk/corrupt', NULL, '{not json', 1), ('junk/wrong', NULL, '{\"type\":1}', 1)").run();
    db.prepare("INSERT INTO topic_manifests (agent, manifest, updated_at) VALUES ('ghost', '[]', 1)").run();
    db.close();

    const again = boot(dir, clock, { maxSampleChars: 4_000 });
    expect(again.registry.observedTopics().sort()).toEqual(['junk/binary', 'junk/code', 'junk/deep', 'junk/huge', 'junk/proto', 'junk/text']);
    expect(again.registry.sample('junk/text')?.sample).toMatchObject({ type: 'string', example: 'not json {' });
    expect(again.registry.sample('junk/binary')?.sample.example).toBe('<binary 3 bytes>');
    expect(again.registry.sample('junk/code')?.sample.example).toEqual({ code: 'process.exit(1)', fn: '() => { throw new Error("ran") }' });
    expect(again.registry.sample('junk/huge')?.sample).toMatchObject({ example: '<example not kept: larger than 4000 characters>', fields: { field_0: 'string' } });
    expect(again.registry.sample('junk/proto')?.sample.fields.ok).toBe('number');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(again.store.count()).toEqual({ samples: 6, manifests: 0 });
  });

  it('does not restore the manifest, nor the samples, of an agent that is gone', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const first = boot(dir, clock);
    first.registry.declare('kept', { publishes: ['kept/out'] });
    first.registry.declare('deleted-later', { publishes: ['gone/out'] });
    first.registry.declare('deleted-while-down', { publishes: ['down/out'] });
    first.registry.observe('kept/out', { v: 1 }, 'kept');
    first.registry.observe('gone/out', { v: 1 }, 'deleted-later');
    first.registry.observe('down/out', { v: 1 }, 'deleted-while-down');
    first.registry.observe('ha/state_changes/light/porch', { new_state: { state: 'on' } }, 'home-assistant-state-bridge');
    await clock.advance(5_000);
    expect(first.store.count().manifests).toBe(4);
    first.registry.unregister('deleted-later');
    first.stop();

    const alive = new Set(['kept', 'deleted-later', 'home-assistant-state-bridge']);
    const second = boot(dir, clock, { isAgent: (name) => alive.has(name) });
    expect(second.restored.manifests.sort()).toEqual(['home-assistant-state-bridge', 'kept']);
    expect(second.restored.dropped).toEqual(['deleted-while-down']);
    expect(second.registry.get('deleted-later')).toBeUndefined();
    expect(second.registry.get('deleted-while-down')).toBeUndefined();
    expect(second.registry.observedTopics().sort()).toEqual(['gone/out', 'ha/state_changes/light/porch', 'kept/out']);
    expect(second.store.count().manifests).toBe(2);
  });
});
