// CostService for the API: the ledger's spend over a period, bucketed for the chart (hours for a
// day, days for a week or month), totalled per provider and per agent, and what the providers'
// prompt caches saved.
import type { Clock } from '../core/clock.ts';
import type { CostPeriod, CostReport, PromptCache } from '../contract/cost.ts';
import type { CostService } from '../contract/services.ts';
import type { LlmLedger } from '../llm/ledger.ts';
import { ledgerPeriodStart } from '../llm/periods.ts';
import { priceFor, promptCacheSaving } from '../llm/pricing.ts';
import type { ProviderName } from '../llm/types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BUCKET: Record<CostPeriod, number> = { day: HOUR, week: DAY, month: DAY };

export function createCostService(ledger: LlmLedger, clock: Clock): CostService {
  return {
    async report(period: CostPeriod): Promise<CostReport> {
      const to = clock.now();
      const from = ledgerPeriodStart(period, to) ?? to - 30 * DAY;
      const points = ledger.series(from, BUCKET[period]).map((b) => ({
        t: new Date(b.t).toISOString(),
        provider: b.provider,
        agent: b.agent,
        usd: round(b.usd),
        tokens_in: b.tokensIn,
        tokens_out: b.tokensOut,
      }));
      const total = (key: 'provider' | 'agent') => {
        const sums = new Map<string, number>();
        for (const p of points) sums.set(p[key], (sums.get(p[key]) ?? 0) + p.usd);
        return [...sums].map(([k, usd]) => ({ key: k, usd: round(usd) })).sort((a, b) => b.usd - a.usd);
      };
      return {
        period,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        total_usd: round(points.reduce((s, p) => s + p.usd, 0)),
        points,
        by_provider: total('provider'),
        by_agent: total('agent'),
        prompt_cache: promptCache(ledger, period),
      };
    },
  };
}

/** Cache tokens of the period, and the saving priced per model (unpriced models left out). */
function promptCache(ledger: LlmLedger, period: CostPeriod): PromptCache {
  const report = ledger.report({ period, groupBy: 'model' });
  let saved = 0;
  for (const g of report.groups) {
    if (!g.key || (!g.cachedInputTokens && !g.cacheWriteTokens)) continue;
    // The key is `provider:model`; provider names hold no colon, model names (llama3:8b) may.
    const colon = g.key.indexOf(':');
    const price = priceFor(g.key.slice(0, colon) as ProviderName, g.key.slice(colon + 1));
    if (price) saved += promptCacheSaving(g.cachedInputTokens, g.cacheWriteTokens, price);
  }
  return { read_tokens: report.totals.cachedInputTokens, write_tokens: report.totals.cacheWriteTokens, saved_usd: round(saved) };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
