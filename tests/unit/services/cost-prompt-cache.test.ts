// GET /api/cost's prompt_cache: the period's cache reads and writes from the ledger, and the
// saving priced per provider+model, through the real route and the real cost service.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { LlmLedger, type LedgerEntry } from '../../../server/src/llm/ledger.ts';
import type { ProviderName } from '../../../server/src/llm/types.ts';
import { createCostService } from '../../../server/src/services/cost.ts';
import { openDatabase } from '../../../server/src/store/database.ts';
import { buildTestApp, type TestApp } from '../../helpers/http-app.ts';

const NOW = new Date(2026, 4, 13, 12, 30, 0).getTime(); // Wednesday
const YESTERDAY = new Date(2026, 4, 12, 9, 0, 0).getTime();

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function call(provider: ProviderName, model: string, read: number, written: number, at = NOW): LedgerEntry {
  return {
    at, agent: 'main', rule: undefined, callSite: 'conversation', provider, model,
    usage: { inputTokens: read + written + 1_000, cachedInputTokens: read, cacheWriteTokens: written, outputTokens: 100 },
    costUsd: 0.01, fallback: false,
  };
}

async function costApi(entries: LedgerEntry[], period = 'day') {
  const clock = new ManualClock(NOW);
  const ledger = new LlmLedger(openDatabase({ dataDir: ':memory:' }), clock);
  for (const e of entries) ledger.record(e);
  t = await buildTestApp({ services: { cost: createCostService(ledger, clock) }, clock });
  const res = await t.app.inject({ url: `/api/cost?period=${period}` });
  expect(res.statusCode).toBe(200);
  return res.json<{ prompt_cache: { read_tokens: number; write_tokens: number; saved_usd: number } }>();
}

describe('GET /api/cost prompt_cache', () => {
  it('totals reads and writes of the period and prices the saving per model, leaving unpriced models out', async () => {
    const report = await costApi([
      call('anthropic', 'claude-sonnet-4-6', 9_800, 2_100), // 9,800 x $2.70 saved - 2,100 x $0.75 extra
      call('openai', 'gpt-4o-mini-2024-07-18', 4_000, 0), // 4,000 x $0.075 saved
      call('openai', 'gpt-6-unknown', 50_000, 0), // no price: counted as tokens, not as a saving
      call('ollama', 'qwen2.5:14b', 3_000, 0), // free: saves nothing
      call('anthropic', 'claude-sonnet-4-6', 100_000, 0, YESTERDAY), // outside today
    ]);
    expect(report.prompt_cache).toEqual({ read_tokens: 66_800, write_tokens: 2_100, saved_usd: 0.025185 });
  });

  it('counts the other days of the week in a week', async () => {
    const report = await costApi([call('anthropic', 'claude-sonnet-4-6', 1_000, 0), call('anthropic', 'claude-sonnet-4-6', 1_000, 0, YESTERDAY)], 'week');
    expect(report.prompt_cache).toEqual({ read_tokens: 2_000, write_tokens: 0, saved_usd: 0.0054 });
  });

  it('is negative when the cache was written and never read back', async () => {
    const report = await costApi([call('anthropic', 'claude-haiku-4-5', 0, 10_000)]);
    expect(report.prompt_cache).toEqual({ read_tokens: 0, write_tokens: 10_000, saved_usd: -0.0025 });
  });

  it('is all zeros without calls', async () => {
    expect((await costApi([])).prompt_cache).toEqual({ read_tokens: 0, write_tokens: 0, saved_usd: 0 });
  });
});
