// Cost and budget: the spend report for a period (refetched when spend changes) and the limits.
import { apiGet, apiPut } from './api.ts';
import { createCollection, type Collection } from './collection.ts';
import type { Budget, BudgetUpdate, CostPeriod, CostReport } from './types.ts';

const reports = new Map<CostPeriod, Collection<CostReport>>();

export function costCollection(period: CostPeriod): Collection<CostReport> {
  let c = reports.get(period);
  if (!c) {
    c = createCollection<CostReport>({ topics: ['cost'], fetch: (signal) => apiGet<CostReport>(`api/cost?period=${period}`, signal) });
    reports.set(period, c);
  }
  return c;
}

export const budgetCollection = createCollection<Budget>({
  topics: ['cost'],
  fetch: (signal) => apiGet<Budget>('api/budget', signal),
});

export async function updateBudget(patch: BudgetUpdate): Promise<Budget> {
  const budget = await apiPut<Budget>('api/budget', patch);
  budgetCollection.update(() => budget);
  return budget;
}
