// Plans (proposals): approve or reject, and the live list of their status.
import { apiGet, apiPost, seg } from './api.ts';
import { createCollection } from './collection.ts';
import type { Plan } from './types.ts';

export const plansCollection = createCollection<Plan[]>({
  topics: ['plans'],
  fetch: (signal) => apiGet<Plan[]>('api/plans', signal),
  apply(plans, e) {
    if (e.type !== 'plan.update') return plans;
    return plans.some((p) => p.id === e.plan.id) ? plans.map((p) => (p.id === e.plan.id ? e.plan : p)) : [...plans, e.plan];
  },
});

export async function decidePlan(id: string, decision: 'approve' | 'reject', reason?: string): Promise<Plan> {
  const plan = await apiPost<Plan>(`api/plans/${seg(id)}/${decision}`, reason ? { reason } : {});
  plansCollection.update((list) => list.map((p) => (p.id === id ? plan : p)));
  return plan;
}
