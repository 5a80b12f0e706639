// The one cost ledger: every LLM call of the system, whoever made it, is a row here (agent,
// rule, call site, provider/model, tokens, USD). Calls on models missing from the price table
// keep a null cost and are counted apart, so a report never presents them as free.
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/database.ts';
import type { CallSite } from './models.ts';
import { ledgerPeriodStart, type LedgerPeriod } from './periods.ts';
import type { ProviderName, Usage } from './types.ts';

export interface LedgerEntry {
  at: number;
  agent: string;
  rule: string | undefined;
  callSite: CallSite;
  provider: ProviderName;
  model: string;
  usage: Usage;
  /** null: the model has no price in the table. */
  costUsd: number | null;
  /** The budget was spent and the configured fallback model answered. */
  fallback: boolean;
}

export interface LedgerTotals {
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  /** Input tokens written to a prompt cache (billed above the input price). */
  cacheWriteTokens: number;
  outputTokens: number;
  /** Sum over priced calls only. */
  costUsd: number;
  /** Calls whose cost is unknown; see `unpricedModels`. */
  unpricedCalls: number;
}

export interface LedgerBucket {
  /** Start of the bucket, ms since the epoch. */
  t: number;
  provider: string;
  agent: string;
  usd: number;
  tokensIn: number;
  tokensOut: number;
}

export const LEDGER_GROUPS = ['agent', 'provider', 'model', 'callSite', 'rule'] as const;
export type LedgerGroupBy = (typeof LEDGER_GROUPS)[number];

export interface LedgerQuery {
  period: LedgerPeriod;
  groupBy?: LedgerGroupBy;
  agent?: string;
  provider?: ProviderName;
  /** Matches the model name exactly. */
  model?: string;
  rule?: string;
  callSite?: CallSite;
}

export interface LedgerReport {
  period: LedgerPeriod;
  from: number | null;
  to: number;
  totals: LedgerTotals;
  groups: (LedgerTotals & { key: string | null })[];
  /** provider:model of every unpriced call in the range. */
  unpricedModels: string[];
}

const GROUP_COLUMN: Record<LedgerGroupBy, string> = {
  agent: 'agent',
  provider: 'provider',
  model: "provider || ':' || model",
  callSite: 'call_site',
  rule: 'rule',
};

const TOTALS_SQL = `COUNT(*) AS calls, COALESCE(SUM(input_tokens), 0) AS inputTokens,
  COALESCE(SUM(cached_input_tokens), 0) AS cachedInputTokens, COALESCE(SUM(cache_write_tokens), 0) AS cacheWriteTokens,
  COALESCE(SUM(output_tokens), 0) AS outputTokens,
  COALESCE(SUM(cost_usd), 0) AS costUsd, COALESCE(SUM(cost_usd IS NULL), 0) AS unpricedCalls`;

interface Row {
  at: number;
  agent: string;
  rule: string | null;
  call_site: CallSite;
  provider: ProviderName;
  model: string;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  fallback: number;
}

export class LlmLedger {
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  record(entry: LedgerEntry): void {
    this.#db
      .prepare(
        `INSERT INTO llm_calls (at, agent, rule, call_site, provider, model, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, cost_usd, fallback)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.at,
        entry.agent,
        entry.rule ?? null,
        entry.callSite,
        entry.provider,
        entry.model,
        entry.usage.inputTokens,
        entry.usage.cachedInputTokens,
        entry.usage.cacheWriteTokens,
        entry.usage.outputTokens,
        entry.costUsd,
        entry.fallback ? 1 : 0,
      );
  }

  /** USD spent per rule (priced calls of the rules' agents): ever, and since `since` (local midnight). */
  ruleCosts(since: number): Map<string, RuleCost> {
    const rows = this.#db
      .prepare(
        `SELECT rule, COALESCE(SUM(cost_usd), 0) AS totalUsd, COALESCE(SUM(CASE WHEN at >= ? THEN cost_usd END), 0) AS sinceUsd
         FROM llm_calls WHERE rule IS NOT NULL GROUP BY rule`,
      )
      .all(since) as { rule: string; totalUsd: number; sinceUsd: number }[];
    return new Map(rows.map((r) => [r.rule, { totalUsd: roundUsd(r.totalUsd), sinceUsd: roundUsd(r.sinceUsd) }]));
  }

  /** USD spent on priced calls since a moment (the budget's view). */
  spentSince(from: number): number {
    return (this.#db.prepare('SELECT COALESCE(SUM(cost_usd), 0) FROM llm_calls WHERE at >= ?').pluck().get(from) as number) ?? 0;
  }

  report(query: LedgerQuery): LedgerReport {
    const now = this.#clock.now();
    const from = ledgerPeriodStart(query.period, now);
    const where: string[] = [];
    const params: (string | number)[] = [];
    const filter = (column: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    if (from !== undefined) {
      where.push('at >= ?');
      params.push(from);
    }
    filter('agent', query.agent);
    filter('provider', query.provider);
    filter('model', query.model);
    filter('rule', query.rule);
    filter('call_site', query.callSite);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';

    const totals = this.#db.prepare(`SELECT ${TOTALS_SQL} FROM llm_calls ${clause}`).get(...params) as LedgerTotals;
    const groups = query.groupBy
      ? (this.#db
          .prepare(`SELECT ${GROUP_COLUMN[query.groupBy]} AS key, ${TOTALS_SQL} FROM llm_calls ${clause} GROUP BY key ORDER BY costUsd DESC, calls DESC`)
          .all(...params) as (LedgerTotals & { key: string | null })[])
      : [];
    const unpricedModels = this.#db
      .prepare(`SELECT DISTINCT provider || ':' || model FROM llm_calls ${clause ? `${clause} AND` : 'WHERE'} cost_usd IS NULL ORDER BY 1`)
      .pluck()
      .all(...params) as string[];
    return { period: query.period, from: from ?? null, to: now, totals: roundTotals(totals), groups: groups.map(roundTotals), unpricedModels };
  }

  /**
   * Spend in time buckets since `from`, split by provider and agent (the panel's cost chart).
   * Buckets are aligned on `from` (a local midnight for day/week/month periods), and bucketing
   * happens in SQL so a month of calls never crosses into JavaScript row by row.
   */
  series(from: number, bucketMs: number): LedgerBucket[] {
    return this.#db
      .prepare(
        `SELECT CAST((at - @from) / @bucket AS INTEGER) * @bucket + @from AS t, provider, agent,
                COALESCE(SUM(cost_usd), 0) AS usd, SUM(input_tokens) AS tokensIn, SUM(output_tokens) AS tokensOut
         FROM llm_calls WHERE at >= @from GROUP BY t, provider, agent ORDER BY t, provider, agent`,
      )
      .all({ bucket: Math.max(1, Math.floor(bucketMs)), from }) as LedgerBucket[];
  }

  /** The latest calls, newest first (for the panel's activity view). */
  recent(limit = 50): LedgerEntry[] {
    const rows = this.#db.prepare('SELECT * FROM llm_calls ORDER BY at DESC, id DESC LIMIT ?').all(limit) as Row[];
    return rows.map((r) => ({
      at: r.at,
      agent: r.agent,
      rule: r.rule ?? undefined,
      callSite: r.call_site,
      provider: r.provider,
      model: r.model,
      usage: { inputTokens: r.input_tokens, cachedInputTokens: r.cached_input_tokens, outputTokens: r.output_tokens, cacheWriteTokens: r.cache_write_tokens },
      costUsd: r.cost_usd,
      fallback: r.fallback === 1,
    }));
  }
}

export interface RuleCost {
  totalUsd: number;
  sinceUsd: number;
}

function roundUsd(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}

function roundTotals<T extends LedgerTotals>(t: T): T {
  return { ...t, costUsd: roundUsd(t.costUsd) };
}
