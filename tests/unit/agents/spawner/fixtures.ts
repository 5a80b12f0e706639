// The spawner with real isolates on the real kernel, without a broker, HA or LLM: an ActorSystem on
// a ManualClock with the in-process MemoryBus and an in-memory SQLite database.
import { MemoryBus } from '../../../../server/src/bus/memory-bus.ts';
import { TopicBus } from '../../../../server/src/bus/topic-bus/topic-bus.ts';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { ActorSystem } from '../../../../server/src/core/system.ts';
import { createAgentRuntime, type AgentRuntime, type AgentRuntimeDeps } from '../../../../server/src/agents/spawner/assemble.ts';
import type { SpawnConfigInput } from '../../../../server/src/agents/spawn-config/config-schema.ts';
import type { SpawnConfig } from '../../../../server/src/agents/spawn-config/config-schema.ts';
import { openDatabase, type Db } from '../../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../../server/src/store/kv.ts';

export interface AgentsEnv {
  clock: ManualClock;
  bus: MemoryBus;
  db: Db;
  system: ActorSystem;
  topicBus: TopicBus;
  agents: AgentRuntime;
  /** A new ActorSystem and runtime over the same database (a restart of the add-on). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function makeAgentsEnv(extra: Partial<AgentRuntimeDeps> = {}): Promise<AgentsEnv> {
  const clock = new ManualClock();
  const bus = new MemoryBus('wactorz');
  const db = openDatabase({ dataDir: ':memory:' });
  const env = { clock, bus, db } as AgentsEnv;
  const boot = async () => {
    env.topicBus = new TopicBus({ clock });
    env.system = new ActorSystem({ clock, bus, store: new SqliteKeyValueStore(db) });
    await env.system.start();
    env.agents = createAgentRuntime({ system: env.system, db, clock, topicBus: env.topicBus, recipesDir: null, ...extra });
    await env.agents.start();
  };
  await boot();
  env.restart = async () => {
    await env.agents.stop();
    await env.system.stop();
    await boot();
  };
  env.close = async () => {
    await env.agents.stop();
    await env.system.stop();
    db.close();
  };
  return env;
}

/** A spawn config as an LLM would write it (defaults filled by the spawner's validation). */
export function dyn(name: string, code: string, extra: Partial<SpawnConfigInput> = {}): SpawnConfig {
  return { name, type: 'dynamic', code, ...extra } as SpawnConfig;
}

/** Polls an async probe (an ask into an isolate) until it holds; one probe at a time. */
export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
