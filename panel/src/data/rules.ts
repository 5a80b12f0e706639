// Rules: the live list (status patched from events, new rules fetched), enable/disable, delete.
import { apiDelete, apiGet, apiPost, seg } from './api.ts';
import { createCollection } from './collection.ts';
import type { Rule } from './types.ts';

export const rulesCollection = createCollection<Rule[]>({
  topics: ['rules'],
  fetch: (signal) => apiGet<Rule[]>('api/rules', signal),
  apply(rules, e) {
    switch (e.type) {
      case 'rule.status': {
        if (!rules.some((r) => r.id === e.rule_id)) return 'refetch';
        return rules.map((r) => (r.id === e.rule_id ? { ...r, status: e.status, enabled: e.enabled, last_fired_at: e.last_fired_at } : r));
      }
      case 'rule.removed':
        return rules.filter((r) => r.id !== e.rule_id);
      default:
        return rules;
    }
  },
});

export async function setRuleEnabled(id: string, enabled: boolean): Promise<Rule> {
  const rule = await apiPost<Rule>(`api/rules/${seg(id)}/${enabled ? 'enable' : 'disable'}`);
  rulesCollection.update((list) => list.map((r) => (r.id === id ? rule : r)));
  return rule;
}

export async function deleteRule(id: string): Promise<void> {
  await apiDelete<{ ok: true }>(`api/rules/${seg(id)}`);
  rulesCollection.update((list) => list.filter((r) => r.id !== id));
}
