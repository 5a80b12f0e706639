import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { LlmBudget } from '../../../server/src/llm/budget.ts';
import { LlmLedger, type LedgerEntry } from '../../../server/src/llm/ledger.ts';
import { createBudgetService } from '../../../server/src/services/budget.ts';
import { createCostService } from '../../../server/src/services/cost.ts';
import { openDatabase } from '../../../server/src/store/database.ts';

const NOW = new Date(2026, 4, 13, 12, 30, 0).getTime(); // Wednesday
const ctx = { identity: { via: 'local' as const, userId: null, userName: null, displayName: null }, signal: new AbortController().signal };
const at = (day: number, hour: number) => new Date(2026, 4, day, hour, 15).getTime();

function entry(over: Partial<LedgerEntry>): LedgerEntry {
  return {
    at: NOW,
    agent: 'main',
    rule: undefined,
    callSite: 'conversation',
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    usage: { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0.01,
    fallback: false,
    ...over,
  };
}

function setup() {
  const db = openDatabase({ dataDir: ':memory:' });
  const clock = new ManualClock(NOW);
  const ledger = new LlmLedger(db, clock);
  ledger.record(entry({ at: at(13, 9) }));
  ledger.record(entry({ at: at(13, 9), agent: 'energy', provider: 'openai', model: 'gpt-4o-mini', costUsd: 0.002 }));
  ledger.record(entry({ at: at(13, 11), costUsd: 0.03 }));
  ledger.record(entry({ at: at(12, 20), costUsd: 0.5 })); // yesterday, same week
  ledger.record(entry({ at: at(13, 10), provider: 'openai', model: 'gpt-6-unknown', costUsd: null })); // unpriced
  return { db, clock, ledger };
}

describe('CostService', () => {
  it('buckets a day by hour, split by provider and agent, with totals', async () => {
    const { ledger, clock } = setup();
    const report = await createCostService(ledger, clock).report('day');
    expect(report.period).toBe('day');
    expect(report.total_usd).toBeCloseTo(0.042, 6);
    const nine = new Date(2026, 4, 13, 9).toISOString();
    expect(report.points.filter((p) => p.t === nine).map((p) => [p.provider, p.agent, p.usd])).toEqual([
      ['anthropic', 'main', 0.01],
      ['openai', 'energy', 0.002],
    ]);
    expect(report.by_provider).toEqual([{ key: 'anthropic', usd: 0.04 }, { key: 'openai', usd: 0.002 }]);
    expect(report.by_agent[0]).toEqual({ key: 'main', usd: 0.04 });
    // The unpriced call is a point with its tokens but no dollars, never a made-up price.
    const unpriced = report.points.find((p) => p.t === new Date(2026, 4, 13, 10).toISOString());
    expect(unpriced).toMatchObject({ usd: 0, tokens_in: 1000 });
  });

  it('buckets a week by day and includes earlier days of the week', async () => {
    const { ledger, clock } = setup();
    const report = await createCostService(ledger, clock).report('week');
    expect(report.total_usd).toBeCloseTo(0.542, 6);
    expect(new Set(report.points.map((p) => p.t)).size).toBe(2);
  });
});

describe('BudgetService', () => {
  it('shows caps, spend per period and whether the budget is spent; updates persist', async () => {
    const { db, ledger, clock } = setup();
    const budget = new LlmBudget({ db, ledger, clock, config: { dailyUsd: 1, weeklyUsd: undefined, monthlyUsd: undefined } });
    const service = createBudgetService(budget, 'ollama:llama3');
    expect(await service.get()).toEqual({
      daily_usd: 1,
      weekly_usd: null,
      monthly_usd: null,
      spent: { day: 0.042, week: 0.542, month: 0.542 },
      fallback: 'ollama:llama3',
      exhausted: false,
    });
    const updated = await service.update({ daily_usd: 0.01, weekly_usd: 5 }, ctx);
    expect(updated).toMatchObject({ daily_usd: 0.01, weekly_usd: 5, exhausted: true });
    // A fresh budget over the same database sees the persisted caps.
    const again = createBudgetService(new LlmBudget({ db, ledger, clock, config: { dailyUsd: 1, weeklyUsd: undefined, monthlyUsd: undefined } }), undefined);
    expect(await again.get()).toMatchObject({ daily_usd: 0.01, weekly_usd: 5, fallback: null });
    expect(await again.update({ daily_usd: null }, ctx)).toMatchObject({ daily_usd: null, exhausted: false });
  });
});
