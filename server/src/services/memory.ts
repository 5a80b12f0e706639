// MemoryService for the API: the user facts main remembers, each with where it came from.
import type { FactsStore, FactSource } from '../agents/main/memory/facts-store.ts';
import type { LiveEvent } from '../contract/live-events.ts';
import type { MemoryFact } from '../contract/memory.ts';
import type { MemoryService } from '../contract/services.ts';

function describeSource(s: FactSource): string {
  const when = new Date(s.at).toISOString().slice(0, 16).replace('T', ' ');
  if (s.kind === 'user') return `set by ${s.userId ?? 'the user'} ${when}`;
  const who = s.userId ? ` with ${s.userId}` : '';
  return `chat${who} ${when}${s.excerpt ? `: "${s.excerpt}"` : ''}`;
}

export interface MemoryChanges {
  onForget?: (key: string) => void;
  onClear?: (forgotten: number) => void;
}

/** The panel's live events for memory changes: one mapping, whether the panel or /memory acted. */
export function memoryEvents(publish: (event: LiveEvent) => unknown): MemoryChanges {
  return {
    onForget: (key) => publish({ type: 'memory.update', key, removed: true }),
    onClear: (forgotten) => publish({ type: 'memory.cleared', forgotten }),
  };
}

export function createMemoryService(facts: FactsStore, changes: MemoryChanges = {}): MemoryService {
  return {
    async list(): Promise<MemoryFact[]> {
      return facts.list().map((f) => ({
        key: f.key,
        value: f.value,
        source: describeSource(f.source),
        origin: f.source.kind,
        category: f.category,
        created_at: new Date(f.createdAt).toISOString(),
        updated_at: new Date(f.updatedAt).toISOString(),
      }));
    },
    async forget(key) {
      const removed = facts.forget(key);
      if (removed) changes.onForget?.(key);
      return removed;
    },
    async clear() {
      const forgotten = facts.clear();
      changes.onClear?.(forgotten);
      return forgotten;
    },
  };
}
