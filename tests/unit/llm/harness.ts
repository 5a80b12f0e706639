// Shared setup for the LLM tests: a fake server, an LlmService pointed at it with a manual clock,
// an in-memory (or temp-dir) database holding only the LLM tables, and a recording sleep so
// retry backoffs are observed instead of waited for.
import type { LlmConfig, LlmProviderName } from '../../../server/src/config/types.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { createLlm, type LlmDeps } from '../../../server/src/llm/create.ts';
import type { LlmService } from '../../../server/src/llm/service.ts';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';
import { LLM_MIGRATIONS } from '../../../server/src/store/migrations/llm.ts';
import { fakeLlmConfig, startFakeLlm, type FakeLlmOptions, type FakeLlmServer } from '../../helpers/fake-llm/index.ts';

export interface Harness {
  fake: FakeLlmServer;
  llm: LlmService;
  db: Db;
  clock: ManualClock;
  /** Every backoff the service asked to wait, in ms. */
  sleeps: number[];
  config: LlmConfig;
  close(): Promise<void>;
}

export interface HarnessOptions {
  provider?: LlmProviderName;
  config?: Partial<LlmConfig>;
  fake?: FakeLlmOptions;
  /** Reuse a database (persistence tests); default: a fresh in-memory one. */
  db?: Db;
  deps?: Partial<LlmDeps>;
}

export function memoryDb(): Db {
  return openDatabase({ dataDir: ':memory:', migrations: LLM_MIGRATIONS });
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeLlm(options.fake);
  const clock = new ManualClock(new Date(2026, 4, 13, 12, 0, 0).getTime());
  const db = options.db ?? memoryDb();
  const sleeps: number[] = [];
  const config = fakeLlmConfig(fake, options.provider ?? 'anthropic', options.config);
  const llm = createLlm(config, {
    db,
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options.deps,
  });
  return {
    fake,
    llm,
    db,
    clock,
    sleeps,
    config,
    close: async () => {
      await fake.close();
      if (!options.db) db.close();
    },
  };
}

/** Collects a stream into its text, tool calls and final result. */
export async function drain<T extends { type: string }>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of events) out.push(e);
  return out;
}
