// A rule's recent evaluations (GET /api/rules/{id}/traces), newest first. Refetched when the rule
// is evaluated (a rule.trace for it, whether it fired or not: the server sends at most one a second
// per rule, and never the trace itself, which only the API hands out), when it fires (a
// rule.status carrying a new last_fired_at), when the connection says events were missed, and on
// the user's Refresh; never on a timer. Events coalesce: a fetch under way absorbs them and at
// most one more is queued, so a burst of evaluations costs two fetches, the last one complete.
import { ApiError, apiGet, seg } from './api.ts';
import { createCollection, type Collection } from './collection.ts';
import type { RuleTrace } from './types.ts';

/** Enough to see a pattern in the timeline without a long list on a phone. */
export const TIMELINE_LIMIT = 40;

export function fetchRuleTraces(id: string, limit = TIMELINE_LIMIT, signal?: AbortSignal): Promise<RuleTrace[]> {
  return apiGet<RuleTrace[]>(`api/rules/${seg(id)}/traces?limit=${limit}`, signal);
}

/** null: this server keeps no traces (or the rule is gone), so there is no timeline to show. */
export async function fetchTimeline(id: string, signal?: AbortSignal): Promise<RuleTrace[] | null> {
  try {
    return await fetchRuleTraces(id, TIMELINE_LIMIT, signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** The timeline of one rule; `lastFiredAt` is what the caller already knows, so only a newer firing refetches. */
export function ruleTracesCollection(id: string, lastFiredAt: string | null): Collection<RuleTrace[] | null> {
  let seen = lastFiredAt;
  return createCollection<RuleTrace[] | null>({
    topics: ['rules'],
    fetch: (signal) => fetchTimeline(id, signal),
    coalesce: true,
    apply(traces, e) {
      if (e.type === 'rule.trace' && e.rule_id === id) return 'refetch';
      if (e.type !== 'rule.status' || e.rule_id !== id || e.last_fired_at === seen) return traces;
      seen = e.last_fired_at;
      return 'refetch';
    },
  });
}
