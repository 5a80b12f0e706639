// CostService for the API: the ledger's spend over a period, bucketed for the chart (hours for a
// day, days for a week or month) and totalled per provider and per agent.
import type { Clock } from '../core/clock.ts';
import type { CostPeriod, CostReport } from '../contract/cost.ts';
import type { CostService } from '../contract/services.ts';
import type { LlmLedger } from '../llm/ledger.ts';
import { ledgerPeriodStart } from '../llm/periods.ts';

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
      };
    },
  };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
