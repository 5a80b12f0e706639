// The ledger answers "what did the LLM cost, when, for whom": per period (calendar day, week
// from Monday, month, all time), per agent, provider/model, call site and rule.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { LlmLedger, type LedgerEntry } from '../../../server/src/llm/ledger.ts';
import { openDatabase } from '../../../server/src/store/database.ts';
import { LLM_MIGRATIONS } from '../../../server/src/store/migrations/llm.ts';
import { makeTempDir } from '../../helpers/tmp.ts';
import { memoryDb } from './harness.ts';

// Wednesday 13 May 2026, noon local time.
const NOW = new Date(2026, 4, 13, 12, 0, 0).getTime();
const at = (month: number, day: number, hour = 9) => new Date(2026, month - 1, day, hour).getTime();

function entry(over: Partial<LedgerEntry>): LedgerEntry {
  return {
    at: NOW,
    agent: 'main',
    rule: undefined,
    callSite: 'conversation',
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    usage: { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0.0045,
    fallback: false,
    ...over,
  };
}

function seeded(): LlmLedger {
  const ledger = new LlmLedger(memoryDb(), new ManualClock(NOW));
  ledger.record(entry({ at: at(5, 13), costUsd: 0.01 })); // today
  ledger.record(entry({ at: at(5, 13, 8), agent: 'energy-tracker', callSite: 'agent', provider: 'openai', model: 'gpt-4o-mini', costUsd: 0.002 }));
  ledger.record(entry({ at: at(5, 13, 7), agent: 'planner', callSite: 'planner', rule: 'door-notify', costUsd: 0.05 }));
  ledger.record(entry({ at: at(5, 12), callSite: 'classifier', costUsd: 0.1 })); // Tuesday, same week
  ledger.record(entry({ at: at(5, 10), callSite: 'summary', costUsd: 1 })); // Sunday: previous week, same month
  ledger.record(entry({ at: at(4, 30), provider: 'openai', model: 'gpt-6-astra', costUsd: null })); // last month, unpriced
  return ledger;
}

describe('ledger reports', () => {
  it.each([
    ['day', 3, 0.062],
    ['week', 4, 0.162],
    ['month', 5, 1.162],
    ['all', 6, 1.162],
  ] as const)('period %s covers %i calls costing $%s', (period, calls, cost) => {
    const report = seeded().report({ period });
    expect(report.totals.calls).toBe(calls);
    expect(report.totals.costUsd).toBeCloseTo(cost, 8);
    expect(report.to).toBe(NOW);
  });

  it('the week starts on Monday and the day at local midnight', () => {
    const report = seeded().report({ period: 'week' });
    expect(report.from).toBe(new Date(2026, 4, 11).getTime());
    expect(seeded().report({ period: 'day' }).from).toBe(new Date(2026, 4, 13).getTime());
  });

  it('groups by agent, by provider:model, by call site and by rule', () => {
    const ledger = seeded();
    const byAgent = ledger.report({ period: 'day', groupBy: 'agent' }).groups.map((g) => [g.key, g.calls, g.costUsd]);
    expect(byAgent).toEqual([
      ['planner', 1, 0.05],
      ['main', 1, 0.01],
      ['energy-tracker', 1, 0.002],
    ]);
    const byModel = ledger.report({ period: 'all', groupBy: 'model' }).groups.map((g) => [g.key, g.calls]);
    expect(byModel).toEqual([
      ['anthropic:claude-sonnet-4-6', 4],
      ['openai:gpt-4o-mini', 1],
      ['openai:gpt-6-astra', 1],
    ]);
    const bySite = ledger.report({ period: 'week', groupBy: 'callSite' }).groups.map((g) => g.key);
    expect(bySite).toEqual(['classifier', 'planner', 'conversation', 'agent']);
    const byRule = ledger.report({ period: 'all', groupBy: 'rule' }).groups.find((g) => g.key === 'door-notify');
    expect(byRule).toMatchObject({ calls: 1, costUsd: 0.05 });
  });

  it('filters by agent and by provider/model', () => {
    const ledger = seeded();
    expect(ledger.report({ period: 'all', agent: 'energy-tracker' }).totals).toMatchObject({ calls: 1, costUsd: 0.002, inputTokens: 1000, outputTokens: 100 });
    expect(ledger.report({ period: 'all', provider: 'openai' }).totals.calls).toBe(2);
    expect(ledger.report({ period: 'all', provider: 'openai', model: 'gpt-4o-mini' }).totals.calls).toBe(1);
  });

  it('reports unpriced calls and their models instead of counting them as free', () => {
    const report = seeded().report({ period: 'all' });
    expect(report.totals.unpricedCalls).toBe(1);
    expect(report.unpricedModels).toEqual(['openai:gpt-6-astra']);
    expect(seeded().report({ period: 'month' }).unpricedModels).toEqual([]);
  });

  it('lists recent calls newest first', () => {
    const recent = seeded().recent(2);
    expect(recent.map((r) => [r.agent, r.callSite])).toEqual([
      ['main', 'conversation'],
      ['energy-tracker', 'agent'],
    ]);
  });
});

describe('prompt-cache tokens', () => {
  it('keeps cache reads and cache writes per call, in the totals, the groups and the recent calls', () => {
    const ledger = new LlmLedger(memoryDb(), new ManualClock(NOW));
    ledger.record(entry({ usage: { inputTokens: 2000, outputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 1800 } }));
    ledger.record(entry({ usage: { inputTokens: 2100, outputTokens: 40, cachedInputTokens: 1800, cacheWriteTokens: 120 } }));
    ledger.record(entry({ agent: 'planner', usage: { inputTokens: 900, outputTokens: 30, cachedInputTokens: 0, cacheWriteTokens: 0 } }));
    expect(ledger.report({ period: 'day' }).totals).toMatchObject({ calls: 3, inputTokens: 5000, cachedInputTokens: 1800, cacheWriteTokens: 1920 });
    const main = ledger.report({ period: 'day', groupBy: 'agent' }).groups.find((g) => g.key === 'main');
    expect(main).toMatchObject({ cachedInputTokens: 1800, cacheWriteTokens: 1920 });
    expect(ledger.recent(3).map((r) => [r.usage.cachedInputTokens, r.usage.cacheWriteTokens])).toEqual([
      [0, 0],
      [1800, 120],
      [0, 1800],
    ]);
  });

  it('a ledger from before migration 203 keeps its rows, counted without cache writes', () => {
    const dir = makeTempDir();
    try {
      const old = openDatabase({ dataDir: dir.path, migrations: LLM_MIGRATIONS.filter((m) => m.version < 203) });
      old
        .prepare('INSERT INTO llm_calls (at, agent, call_site, provider, model, input_tokens, cached_input_tokens, output_tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(NOW, 'main', 'conversation', 'anthropic', 'claude-sonnet-4-6', 2000, 1500, 40, 0.002);
      old.close();
      const db = openDatabase({ dataDir: dir.path, migrations: LLM_MIGRATIONS });
      expect(new LlmLedger(db, new ManualClock(NOW)).report({ period: 'all' }).totals).toMatchObject({ calls: 1, cachedInputTokens: 1500, cacheWriteTokens: 0 });
      db.close();
    } finally {
      dir.cleanup();
    }
  });
});
