// `npm run bench spawn`: what a spawn costs through the whole spawn path, against bare isolated-vm
// in the same run. Measured: a <spawn> block in LLM text -> parsed and validated -> the spawner
// (registry, per-agent supervisor, DynamicAgent actor, isolate, code check) -> setup() done; and a
// task round trip through the actor system (ask -> mailbox -> handleTask in the isolate -> answer).
// The bare figures: create an isolate, compile and run the same-size code; call one function.
import { MemoryBus } from '../server/src/bus/memory-bus.ts';
import { TopicBus } from '../server/src/bus/topic-bus/topic-bus.ts';
import { systemClock } from '../server/src/core/clock.ts';
import { ActorSystem } from '../server/src/core/system.ts';
import { parseSpawnBlocks } from '../server/src/agents/spawn-config/parse-blocks.ts';
import { createAgentRuntime } from '../server/src/agents/spawner/assemble.ts';
import { openDatabase } from '../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../server/src/store/kv.ts';
import { nowUs, percentile, type Bench } from './harness.ts';
import { AGENT_CODE, bareIsolate } from './sandbox/fixtures.ts';

const SPAWNS = 200;
const WARMUP = 20;
const TASKS = 5_000;

function block(i: number): string {
  return `Sure, here is the agent.\n<spawn>\n${JSON.stringify({ name: `bench-agent-${i}`, type: 'dynamic', description: 'benchmark', poll_interval: 3600, code: AGENT_CODE })}\n</spawn>`;
}

const bench: Bench = async () => {
  const db = openDatabase({ dataDir: ':memory:' });
  const system = new ActorSystem({ clock: systemClock, bus: new MemoryBus('wactorz', { record: false }), store: new SqliteKeyValueStore(db) });
  await system.start();
  const agents = createAgentRuntime({ system, db, topicBus: new TopicBus({ clock: systemClock }), recipesDir: null });
  await agents.start();

  const spawn: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < SPAWNS + WARMUP; i++) {
    let t0 = nowUs();
    const b = await bareIsolate();
    if (i >= WARMUP) bare.push(nowUs() - t0);
    b.isolate.dispose();

    const text = block(i);
    t0 = nowUs();
    const [parsed] = parseSpawnBlocks(text);
    if (!parsed?.ok) throw new Error('the benchmark block did not parse');
    await agents.spawner.spawn(parsed.config, { by: 'llm' });
    if (i >= WARMUP) spawn.push(nowUs() - t0);
    await agents.spawner.delete(parsed.config.name);
  }

  await agents.spawner.spawn({ name: 'bench-echo', type: 'dynamic', code: AGENT_CODE } as never, { by: 'llm' });
  for (let i = 0; i < 500; i++) await system.ask('bench-echo', { value: i });
  let t0 = nowUs();
  for (let i = 0; i < TASKS; i++) await system.ask('bench-echo', { value: i });
  const asksPerSecond = TASKS / ((nowUs() - t0) / 1e6);

  const b = await bareIsolate();
  for (let i = 0; i < 500; i++) await b.fn.apply(undefined, [JSON.stringify({ value: i })], { timeout: 1000 });
  t0 = nowUs();
  for (let i = 0; i < TASKS; i++) await b.fn.apply(undefined, [JSON.stringify({ value: i })], { timeout: 1000 });
  const bareCalls = TASKS / ((nowUs() - t0) / 1e6);
  b.isolate.dispose();

  await agents.stop();
  await system.stop();
  db.close();

  const baseline = (p: number) => ({ name: 'bare isolate create+compile+run', value: percentile(bare, p) / 1000 });
  return [
    { name: 'spawn through the spawner (block -> setup done), p50', value: percentile(spawn, 50) / 1000, unit: 'ms', baseline: baseline(50), goal: '<= 25 ms', met: percentile(spawn, 50) <= 25_000 },
    { name: 'spawn through the spawner (block -> setup done), p99', value: percentile(spawn, 99) / 1000, unit: 'ms', baseline: baseline(99), goal: '<= 60 ms', met: percentile(spawn, 99) <= 60_000 },
    { name: 'task round trip via actor ask (sequential)', value: asksPerSecond, unit: 'tasks/s', baseline: { name: 'bare isolate async call (sequential)', value: bareCalls }, goal: '>= 2000 tasks/s', met: asksPerSecond >= 2000 },
  ];
};

export default bench;
