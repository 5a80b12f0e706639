// `npm run bench agent-flood`: what one agent flooding host calls costs everyone else (issue 12,
// finding 5). A flooding agent starts 100,000 `agent.sleep` calls per round, over and over, while
// the same process answers HTTP requests and another agent's tasks; the figures are round-trip
// latencies and event-loop delay, against a same-run baseline with no flood. For scale, one run
// with the pending-call bound lifted (20,000 sleeps a round actually pending, each a host call, a
// timer and a delivery into the isolate) shows what the bound saves.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SandboxedAgent } from '../server/src/sandbox/agent.ts';
import type { SandboxLimits } from '../server/src/sandbox/limits.ts';
import { nowUs, percentile, type Bench, type BenchResult } from './harness.ts';
import { BenchHost } from './sandbox/fixtures.ts';

const ROUND_TRIPS = 1000;
const FLOOD_CALLS = 100_000;
const UNBOUNDED_CALLS = 20_000;

// Floods for p.rounds rounds (null: until the agent is stopped); each round is published so the
// benchmark can count them.
const FLOOD_CODE = `
async function handleTask(agent, p) {
  for (let round = 1; p.rounds === null || round <= p.rounds; round++) {
    const accepted = [];
    for (let i = 0; i < p.count; i++) {
      try { accepted.push(agent.sleep(p.ms)); } catch (e) { /* refused past the bound */ }
    }
    await Promise.all(accepted);
    await agent.publish('bench/round', round);
  }
}`;

const ECHO_CODE = `async function handleTask(agent, p) { return { n: p.n + 1 }; }`;

interface Sample {
  http: number[];
  agent: number[];
  loopP99Ms: number;
  rounds: number;
}

async function measure(server: Server, echo: SandboxedAgent, trips = ROUND_TRIPS): Promise<Omit<Sample, 'rounds'>> {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const http: number[] = [];
  const agent: number[] = [];
  for (let i = 0; i < trips; i++) {
    let t0 = nowUs();
    await (await fetch(url)).text();
    http.push(nowUs() - t0);
    t0 = nowUs();
    await echo.handleTask({ n: i });
    agent.push(nowUs() - t0);
  }
  loop.disable();
  return { http, agent, loopP99Ms: loop.percentile(99) / 1e6 };
}

/** Measures with a flooding agent running (or none), in this process. */
interface Flood {
  limits: Partial<SandboxLimits>;
  /** Sleeps started per round, how long each sleeps, how many rounds (null: until stopped). */
  count: number;
  ms: number;
  rounds: number | null;
  trips: number;
}

async function scenario(server: Server, echo: SandboxedAgent, flood: Flood | null): Promise<Sample> {
  if (flood === null) return { ...(await measure(server, echo)), rounds: 0 };
  const host = new BenchHost();
  let rounds = 0;
  host.onPublish = () => void rounds++;
  // The refusal loop costs the flooding isolate its own CPU time; its per-entry limit is raised so
  // the flood is not cut short (the isolate's thread is not the event loop being measured).
  const agent = new SandboxedAgent({ id: 'flood', name: 'flood', code: FLOOD_CODE, host, limits: { cpuPerEntryMs: 30_000, handleTaskMs: 600_000, ...flood.limits } });
  await agent.start();
  // It only ends when the agent is stopped below.
  const running = agent.handleTask({ count: flood.count, ms: flood.ms, rounds: flood.rounds }).catch(() => undefined);
  // Let the first round of calls start before measuring.
  await new Promise((r) => setTimeout(r, 200));
  const sample = await measure(server, echo, flood.trips);
  const counted = rounds;
  agent.dispose();
  await running;
  return { ...sample, rounds: counted };
}

const bench: Bench = async () => {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const echo = new SandboxedAgent({ id: 'echo', name: 'echo', code: ECHO_CODE, host: new BenchHost() });
  await echo.start();
  try {
    await measure(server, echo); // warm-up
    const idle = await scenario(server, echo, null);
    const bounded = await scenario(server, echo, { limits: {}, count: FLOOD_CALLS, ms: 5, rounds: null, trips: ROUND_TRIPS });
    // For scale, the same flood with the bound lifted, at 20,000 sleeps a round (a fifth of the
    // finding's 100,000, so that the run ends): each one a host call, a timer and a delivery.
    const unbounded = await scenario(server, echo, { limits: { maxPendingCalls: UNBOUNDED_CALLS, memoryMb: 256 }, count: UNBOUNDED_CALLS, ms: 5, rounds: null, trips: 100 });
    const ms = (us: number): number => us / 1000;
    const results: BenchResult[] = [
      {
        name: 'HTTP round trip p50, one agent flooding sleeps',
        value: ms(percentile(bounded.http, 50)),
        unit: 'ms',
        baseline: { name: 'no flood', value: ms(percentile(idle.http, 50)) },
      },
      {
        name: 'HTTP round trip p99, one agent flooding sleeps',
        value: ms(percentile(bounded.http, 99)),
        unit: 'ms',
        baseline: { name: 'no flood', value: ms(percentile(idle.http, 99)) },
        goal: '<= 25 ms',
        met: ms(percentile(bounded.http, 99)) <= 25,
      },
      {
        name: 'other agent handleTask p99, one agent flooding',
        value: ms(percentile(bounded.agent, 99)),
        unit: 'ms',
        baseline: { name: 'no flood', value: ms(percentile(idle.agent, 99)) },
        goal: '<= 25 ms',
        met: ms(percentile(bounded.agent, 99)) <= 25,
      },
      {
        name: 'event-loop delay p99, one agent flooding',
        value: bounded.loopP99Ms,
        unit: 'ms',
        baseline: { name: 'no flood', value: idle.loopP99Ms },
        goal: '<= 20 ms',
        met: bounded.loopP99Ms <= 20,
      },
      {
        name: `flood rounds completed (${FLOOD_CALLS / 1000}k sleeps started each)`,
        value: bounded.rounds,
        unit: 'rounds',
      },
      {
        name: `flood rounds completed, bound lifted (${UNBOUNDED_CALLS / 1000}k sleeps each)`,
        value: unbounded.rounds,
        unit: 'rounds',
      },
      {
        name: `HTTP round trip p99, ${UNBOUNDED_CALLS / 1000}k sleeps pending (bound lifted)`,
        value: ms(percentile(unbounded.http, 99)),
        unit: 'ms',
        baseline: { name: 'no flood', value: ms(percentile(idle.http, 99)) },
      },
      {
        name: `event-loop delay p99, ${UNBOUNDED_CALLS / 1000}k sleeps pending (bound lifted)`,
        value: unbounded.loopP99Ms,
        unit: 'ms',
        baseline: { name: 'no flood', value: idle.loopP99Ms },
      },
    ];
    return results;
  } finally {
    echo.dispose();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
};
export default bench;
