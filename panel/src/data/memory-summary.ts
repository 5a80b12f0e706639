// What the Memory view's header says about the facts (how many, learnt how, the latest) and the
// search box's filter. Pure, so the counting and matching are tested without a browser.
import type { MemoryFact } from './types.ts';

export interface MemorySummary {
  count: number;
  /** Facts per origin ("chat", "user"; "other" when an older server does not say), largest first. */
  byOrigin: { origin: string; count: number }[];
  /** Facts per category (preference, person ...), largest first; facts without one are left out. */
  byCategory: { category: string; count: number }[];
  /** The newest fact by its last update, or undefined when there is none. */
  latest: MemoryFact | undefined;
}

export function summarizeMemory(facts: readonly MemoryFact[]): MemorySummary {
  const origins = new Map<string, number>();
  const categories = new Map<string, number>();
  let latest: MemoryFact | undefined;
  for (const f of facts) {
    const origin = f.origin ?? 'other';
    origins.set(origin, (origins.get(origin) ?? 0) + 1);
    if (f.category) categories.set(f.category, (categories.get(f.category) ?? 0) + 1);
    if (!latest || Date.parse(f.updated_at) > Date.parse(latest.updated_at)) latest = f;
  }
  return {
    count: facts.length,
    byOrigin: ranked(origins).map(([origin, count]) => ({ origin, count })),
    byCategory: ranked(categories).map(([category, count]) => ({ category, count })),
    latest,
  };
}

function ranked(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** "home_assistant" -> "home assistant". */
export function categoryLabel(category: string): string {
  return category.replace(/_/g, ' ');
}

const ORIGIN_LABEL: Record<string, string> = { chat: 'learnt in chat', user: 'set by you', other: 'from elsewhere' };

/** "3 facts · 2 learnt in chat, 1 set by you". */
export function summaryLine(s: MemorySummary): string {
  const head = `${s.count} fact${s.count === 1 ? '' : 's'}`;
  if (s.count === 0) return 'Nothing remembered yet';
  const parts = s.byOrigin.map(({ origin, count }) => `${count} ${ORIGIN_LABEL[origin] ?? origin}`);
  return `${head} · ${parts.join(', ')}`;
}

/** Facts whose key, value, source or category contain every word of the query, case-insensitively. */
export function filterFacts(facts: readonly MemoryFact[], query: string): MemoryFact[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...facts];
  return facts.filter((f) => {
    const text = `${f.key}\n${f.value}\n${f.source}\n${f.category ? categoryLabel(f.category) : ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
