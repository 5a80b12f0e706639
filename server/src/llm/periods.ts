// Calendar periods for spending: the day, the week (from Monday) and the month, in the local
// time of the process (the add-on runs in the home's time zone), so a daily cap resets at the
// home's midnight.
import { z } from 'zod';

export const BUDGET_PERIODS = ['day', 'week', 'month'] as const;
export const BudgetPeriodSchema = z.enum(BUDGET_PERIODS);
export type BudgetPeriod = z.infer<typeof BudgetPeriodSchema>;

export const LedgerPeriodSchema = z.enum([...BUDGET_PERIODS, 'all']);
export type LedgerPeriod = z.infer<typeof LedgerPeriodSchema>;

/** First millisecond of the period that contains `now`. */
export function periodStart(period: BudgetPeriod, now: number): number {
  const d = new Date(now);
  switch (period) {
    case 'day':
      return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    case 'week': {
      const sinceMonday = (d.getDay() + 6) % 7;
      return new Date(d.getFullYear(), d.getMonth(), d.getDate() - sinceMonday).getTime();
    }
    case 'month':
      return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  }
}

/** First millisecond of the next period (when a spent cap opens again). */
export function periodEnd(period: BudgetPeriod, now: number): number {
  const start = new Date(periodStart(period, now));
  switch (period) {
    case 'day':
      return new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1).getTime();
    case 'week':
      return new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7).getTime();
    case 'month':
      return new Date(start.getFullYear(), start.getMonth() + 1, 1).getTime();
  }
}

export function ledgerPeriodStart(period: LedgerPeriod, now: number): number | undefined {
  return period === 'all' ? undefined : periodStart(period, now);
}
