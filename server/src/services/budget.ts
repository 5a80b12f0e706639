// BudgetService for the API: caps and spend per period from the LLM budget; updates are persisted
// by the budget itself and outlive restarts.
import type { Budget, BudgetUpdate } from '../contract/cost.ts';
import type { BudgetService } from '../contract/services.ts';
import type { LlmBudget } from '../llm/budget.ts';

export function createBudgetService(budget: LlmBudget, fallback: string | undefined): BudgetService {
  const view = (): Budget => {
    const status = budget.status();
    const caps = budget.caps();
    const spent = (p: 'day' | 'week' | 'month') => status.periods.find((s) => s.period === p)?.spentUsd ?? 0;
    return {
      daily_usd: caps.day,
      weekly_usd: caps.week,
      monthly_usd: caps.month,
      spent: { day: spent('day'), week: spent('week'), month: spent('month') },
      fallback: fallback ?? null,
      exhausted: status.exceeded !== undefined,
    };
  };
  return {
    async get() {
      return view();
    },
    async update(patch: BudgetUpdate) {
      budget.setCaps({
        ...(patch.daily_usd !== undefined ? { day: patch.daily_usd } : {}),
        ...(patch.weekly_usd !== undefined ? { week: patch.weekly_usd } : {}),
        ...(patch.monthly_usd !== undefined ? { month: patch.monthly_usd } : {}),
      });
      return view();
    },
  };
}
