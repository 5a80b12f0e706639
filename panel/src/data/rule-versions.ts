// A rule's approved versions (GET /api/rules/{id}/versions), newest first, and rolling back to one
// (POST /api/rules/{id}/rollback). Versions change when an edit is approved or a rollback is
// made: refetched on those plan and rule events, not on a timer.
import { ApiError, apiGet, apiPost, seg } from './api.ts';
import { createCollection, type Collection } from './collection.ts';
import { rulesCollection } from './rules.ts';
import type { RuleRollbackResult, RuleVersion } from './types.ts';

/** null: this server keeps no versions (or the rule is gone), so there is nothing to show. */
export async function fetchRuleVersions(id: string, signal?: AbortSignal): Promise<RuleVersion[] | null> {
  try {
    return await apiGet<RuleVersion[]>(`api/rules/${seg(id)}/versions`, signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function ruleVersionsCollection(id: string): Collection<RuleVersion[] | null> {
  return createCollection<RuleVersion[] | null>({
    topics: ['plans'],
    fetch: (signal) => fetchRuleVersions(id, signal),
    // An approved edit of this rule is a new version; everything else leaves the list as it is.
    apply: (versions, e) => (e.type === 'plan.update' && e.plan.status === 'approved' && (e.plan.edit_of?.rule_id === id || e.plan.rule_id === id) ? 'refetch' : versions),
  });
}

/** Swaps the rule back to `version`'s agents; the rule list gets the rule as it now runs. */
export async function rollbackRule(id: string, version: number): Promise<RuleRollbackResult> {
  const result = await apiPost<RuleRollbackResult>(`api/rules/${seg(id)}/rollback`, { version });
  rulesCollection.update((list) => list.map((r) => (r.id === id ? result.rule : r)));
  return result;
}
