// `npm run bench sandbox`: what the sandbox costs on top of bare isolated-vm, measured in the same
// run: spawn latency (code -> setup done), memory per idle agent (RSS growth over 500 agents, in a
// fresh child process each), and messages dispatched into isolates per second through handleTask
// and through subscribe callbacks.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BenchHost, bareIsolate, MESSAGES, newAgent } from './sandbox/fixtures.ts';
import { nowUs, percentile, type Bench, type BenchResult } from './harness.ts';

const SPAWNS = 200;
const IDLE_AGENTS = 500;
const TASKS = 20_000;
const WINDOW = 200;

async function spawnLatency(): Promise<{ agent: number[]; bare: number[] }> {
  const agent: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < SPAWNS + 20; i++) {
    let t0 = nowUs();
    const b = await bareIsolate();
    if (i >= 20) bare.push(nowUs() - t0);
    b.isolate.dispose();
    const a = newAgent();
    t0 = nowUs();
    await a.start();
    if (i >= 20) agent.push(nowUs() - t0);
    a.dispose();
  }
  return { agent, bare };
}

/** RSS growth per item in a fresh process (see sandbox/idle-memory.ts). */
async function idleMemory(mode: 'agent' | 'bare'): Promise<number> {
  const script = join(import.meta.dirname, 'sandbox', 'idle-memory.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--no-node-snapshot', '--expose-gc', script, mode, String(IDLE_AGENTS)], { maxBuffer: 1 << 20 });
  return (JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { perItem: number }).perItem;
}

/** Runs `count` calls, at most WINDOW in flight, and returns calls per second. */
async function pipelined(count: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = nowUs();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await call(next++);
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
  return count / ((nowUs() - t0) / 1e6);
}

async function dispatch(): Promise<{ tasks: number; messages: number; bareSync: number; bareAsync: number }> {
  const host = new BenchHost();
  const agent = newAgent(host);
  await agent.start();
  await pipelined(1000, (i) => agent.handleTask({ value: i }));
  const tasks = await pipelined(TASKS, (i) => agent.handleTask({ value: i }));

  const t0 = nowUs();
  await new Promise<void>((resolve) => {
    host.onPublish = () => resolve();
    for (let i = 1; i <= MESSAGES; i++) for (const l of host.listeners) l({ topic: 'sensors/kitchen/temp', payload: { value: i, last: MESSAGES } });
  });
  const messages = MESSAGES / ((nowUs() - t0) / 1e6);
  agent.dispose();

  const bare = await bareIsolate();
  const payload = (i: number): string => JSON.stringify({ value: i });
  for (let i = 0; i < 1000; i++) bare.fn.applySync(undefined, [payload(i)], { timeout: 1000 });
  const s = nowUs();
  for (let i = 0; i < TASKS; i++) bare.fn.applySync(undefined, [payload(i)], { timeout: 1000 });
  const bareSync = TASKS / ((nowUs() - s) / 1e6);
  const bareAsync = await pipelined(TASKS, (i) => bare.fn.apply(undefined, [payload(i)], { timeout: 1000 }));
  bare.isolate.dispose();
  return { tasks, messages, bareSync, bareAsync };
}

const bench: Bench = async () => {
  const spawn = await spawnLatency();
  const memory = { agent: await idleMemory('agent'), bare: await idleMemory('bare') };
  const rate = await dispatch();
  const mb = (bytes: number): number => bytes / (1024 * 1024);
  const results: BenchResult[] = [
    {
      name: 'agent spawn (code -> setup done), p50',
      value: percentile(spawn.agent, 50) / 1000,
      unit: 'ms',
      baseline: { name: 'bare isolate create+compile+run', value: percentile(spawn.bare, 50) / 1000 },
      goal: '<= 20 ms',
      met: percentile(spawn.agent, 50) <= 20_000,
    },
    {
      name: 'agent spawn (code -> setup done), p99',
      value: percentile(spawn.agent, 99) / 1000,
      unit: 'ms',
      baseline: { name: 'bare isolate create+compile+run', value: percentile(spawn.bare, 99) / 1000 },
      goal: '<= 50 ms',
      met: percentile(spawn.agent, 99) <= 50_000,
    },
    {
      name: `memory per idle agent (RSS over ${IDLE_AGENTS})`,
      value: mb(memory.agent),
      unit: 'MB',
      baseline: { name: 'bare isolate with the code loaded', value: mb(memory.bare) },
      goal: '<= 4 MB and within 2x of a bare isolate',
      met: mb(memory.agent) <= 4 && memory.agent <= 2 * memory.bare,
    },
    {
      name: 'handleTask dispatch (200 in flight)',
      value: rate.tasks,
      unit: 'msg/s',
      baseline: { name: 'bare applySync, JSON in and out', value: rate.bareSync },
      goal: '>= 5k msg/s',
      met: rate.tasks >= 5000,
    },
    {
      name: 'handleTask dispatch vs bare async apply',
      value: rate.tasks,
      unit: 'msg/s',
      baseline: { name: 'bare async apply (200 in flight)', value: rate.bareAsync },
      goal: 'at least 1/4 of bare async apply',
      met: rate.tasks >= rate.bareAsync / 4,
    },
    {
      name: 'subscribe callback dispatch (one at a time)',
      value: rate.messages,
      unit: 'msg/s',
      baseline: { name: 'bare applySync, JSON in and out', value: rate.bareSync },
      goal: '>= 5k msg/s',
      met: rate.messages >= 5000,
    },
  ];
  return results;
};
export default bench;
