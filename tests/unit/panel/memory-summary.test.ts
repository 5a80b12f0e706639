// The Memory view's header (how many facts, learnt how, the latest) and its search filter.
import { describe, expect, it } from 'vitest';
import { categoryLabel, filterFacts, summarizeMemory, summaryLine } from '../../../panel/src/data/memory-summary.ts';
import type { MemoryFact } from '../../../panel/src/data/types.ts';

const fact = (key: string, value: string, updated: string, origin?: 'chat' | 'user', source = 'chat', category?: string): MemoryFact => ({
  key, value, source, created_at: '2026-01-01T00:00:00.000Z', updated_at: updated, ...(origin ? { origin } : {}), ...(category ? { category } : {}),
});

const facts = [
  fact('user.phone', 'mobile_app_pixel', '2026-01-02T10:00:00.000Z', 'chat', 'chat', 'home_assistant'),
  fact('home.bedtime', '23:00', '2026-01-03T09:00:00.000Z', 'user', 'set by alice 2026-01-03 09:00', 'preference'),
  fact('user.city', 'Athens', '2026-01-01T08:00:00.000Z', 'chat', 'chat with bob 2026-01-01 08:00: "I live in Athens"', 'location'),
  fact('user.coffee', 'black', '2025-12-30T08:00:00.000Z', 'chat', 'chat', 'preference'),
];

describe('summarizeMemory', () => {
  it('counts the facts per origin, largest first, and finds the latest update', () => {
    const s = summarizeMemory(facts);
    expect(s.count).toBe(4);
    expect(s.byOrigin).toEqual([{ origin: 'chat', count: 3 }, { origin: 'user', count: 1 }]);
    expect(s.latest?.key).toBe('home.bedtime');
    expect(summaryLine(s)).toBe('4 facts · 3 learnt in chat, 1 set by you');
  });

  it('counts the facts per category, largest first, leaving out facts without one', () => {
    const s = summarizeMemory([...facts, fact('x', 'y', '2026-01-01T00:00:00.000Z')]);
    expect(s.byCategory).toEqual([{ category: 'preference', count: 2 }, { category: 'home_assistant', count: 1 }, { category: 'location', count: 1 }]);
    expect(categoryLabel('home_assistant')).toBe('home assistant');
  });

  it('says when nothing is remembered, and counts facts from an older server as from elsewhere', () => {
    expect(summaryLine(summarizeMemory([]))).toBe('Nothing remembered yet');
    expect(summarizeMemory([]).latest).toBeUndefined();
    const old = summarizeMemory([fact('a', 'b', '2026-01-01T00:00:00.000Z')]);
    expect(summaryLine(old)).toBe('1 fact · 1 from elsewhere');
  });
});

describe('filterFacts', () => {
  it('matches every word of the query in the key, value or source, ignoring case', () => {
    expect(filterFacts(facts, 'USER').map((f) => f.key)).toEqual(['user.phone', 'user.city', 'user.coffee']);
    expect(filterFacts(facts, 'home assistant').map((f) => f.key)).toEqual(['user.phone']);
    expect(filterFacts(facts, 'athens bob').map((f) => f.key)).toEqual(['user.city']);
    expect(filterFacts(facts, 'alice').map((f) => f.key)).toEqual(['home.bedtime']);
    expect(filterFacts(facts, 'user nowhere')).toEqual([]);
  });

  it('keeps every fact for an empty or blank query', () => {
    expect(filterFacts(facts, '   ')).toHaveLength(4);
  });
});
