// Child process of sandbox.bench.ts: RSS growth per idle agent (or per bare isolate) in a fresh
// process, so memory freed by an earlier measurement cannot be reused and hide the cost.
// Usage: node --no-node-snapshot --expose-gc bench/sandbox/idle-memory.ts agent|bare <count>
import { bareIsolate, newAgent } from './fixtures.ts';

const mode = process.argv[2];
const count = Number(process.argv[3] ?? 500);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

async function settle(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss;
}

// Warm up what any first isolate pays once (code caches, thread pool), then measure.
const warm = await bareIsolate();
warm.isolate.dispose();
const w = newAgent();
await w.start();
w.dispose();

const before = await settle();
const keep: unknown[] = [];
for (let i = 0; i < count; i++) {
  if (mode === 'bare') keep.push(await bareIsolate());
  else {
    const a = newAgent();
    await a.start();
    keep.push(a);
  }
}
const perItem = ((await settle()) - before) / count;
process.stdout.write(`${JSON.stringify({ perItem, kept: keep.length })}\n`);
process.exit(0);
