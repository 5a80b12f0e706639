// One contract suite per store interface, run against every implementation (SQLite and memory),
// so code written against the interface behaves the same whichever store it is given.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';
import { MemoryKeyValueStore, SqliteKeyValueStore, type KeyValueStore } from '../../../server/src/store/kv.ts';
import { MemoryOutbox, SqliteOutbox, type Outbox } from '../../../server/src/store/outbox.ts';
import { MemorySpawnRegistry, SqliteSpawnRegistry, type SpawnRegistry } from '../../../server/src/store/spawn-registry.ts';

const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));
function db(): Db {
  const d = openDatabase({ dataDir: ':memory:' });
  dbs.push(d);
  return d;
}

let t = 1_000;
const now = () => t;

describe.each<[string, () => KeyValueStore]>([
  ['SqliteKeyValueStore', () => new SqliteKeyValueStore(db())],
  ['MemoryKeyValueStore', () => new MemoryKeyValueStore()],
])('%s', (_name, make) => {
  it('keeps JSON values per actor, returns copies, and clears one actor without touching others', () => {
    const kv = make();
    const value = { count: 42, data: [1, 'two', null], nested: { ok: true } };
    kv.set('a', 'state', value);
    kv.set('a', 'other', 'x');
    kv.set('b', 'state', 7);
    value.count = 0;
    expect(kv.get('a', 'state')).toEqual({ count: 42, data: [1, 'two', null], nested: { ok: true } });
    expect(kv.get('a', 'missing')).toBeUndefined();
    expect(kv.keys('a')).toEqual(['other', 'state']);
    kv.set('a', 'state', 'replaced');
    expect(kv.get('a', 'state')).toBe('replaced');
    expect(kv.delete('a', 'other')).toBe(true);
    expect(kv.delete('a', 'other')).toBe(false);
    expect(kv.clear('a')).toBe(1);
    expect(kv.keys('a')).toEqual([]);
    expect(kv.get('b', 'state')).toBe(7);
  });

  it('refuses a value that JSON cannot hold', () => {
    expect(() => make().set('a', 'fn', () => 1)).toThrow(/not JSON-serialisable/);
  });
});

describe.each<[string, (max: number) => Outbox]>([
  ['SqliteOutbox', (max) => new SqliteOutbox(db(), { maxEntries: max })],
  ['MemoryOutbox', (max) => new MemoryOutbox({ maxEntries: max })],
])('%s', (_name, make) => {
  it('returns entries in publish order and forgets removed ones', () => {
    const o = make(100);
    for (let i = 0; i < 5; i++) o.add(`t/${i}`, Buffer.from(`p${i}`), 1, i === 2, 10 + i);
    expect(o.count()).toBe(5);
    const first = o.peek(3);
    expect(first.map((e) => [e.topic, e.payload.toString(), e.retain])).toEqual([['t/0', 'p0', false], ['t/1', 'p1', false], ['t/2', 'p2', true]]);
    o.remove(first[0]?.id ?? -1);
    expect(o.peek(10).map((e) => e.topic)).toEqual(['t/1', 't/2', 't/3', 't/4']);
  });

  it('drops the oldest entries past its cap and counts them', () => {
    const o = make(3);
    for (let i = 0; i < 5; i++) o.add(`t/${i}`, Buffer.from('x'), 1, false, i);
    expect(o.peek(10).map((e) => e.topic)).toEqual(['t/2', 't/3', 't/4']);
    expect(o.dropped()).toBe(2);
  });
});

describe.each<[string, () => SpawnRegistry]>([
  ['SqliteSpawnRegistry', () => new SqliteSpawnRegistry(db(), now)],
  ['MemorySpawnRegistry', () => new MemorySpawnRegistry(now)],
])('%s', (_name, make) => {
  it('saves full spawn configs, replaces by name keeping the creation time, lists in creation order, removes', () => {
    const r = make();
    t = 1_000;
    r.save({ name: 'door-notify', type: 'dynamic', config: { name: 'door-notify', code: 'export function setup(a) {}', poll_interval: 5 } });
    t = 2_000;
    r.save({ name: 'energy', type: 'llm', config: { name: 'energy', system_prompt: 'x' }, node: 'pi-garage' });
    t = 3_000;
    const replaced = r.save({ name: 'door-notify', type: 'dynamic', config: { name: 'door-notify', code: 'v2' } });
    expect(replaced).toMatchObject({ createdAt: 1_000, updatedAt: 3_000, config: { code: 'v2' } });
    expect(r.list().map((e) => [e.name, e.node])).toEqual([['door-notify', undefined], ['energy', 'pi-garage']]);
    expect(r.remove('energy')).toBe(true);
    expect(r.get('energy')).toBeUndefined();
    expect(r.remove('energy')).toBe(false);
  });
});
