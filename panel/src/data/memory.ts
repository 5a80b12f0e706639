// Memory: facts with their source; forgetting one.
import { apiDelete, apiGet, seg } from './api.ts';
import { createCollection } from './collection.ts';
import type { MemoryFact } from './types.ts';

export const memoryCollection = createCollection<MemoryFact[]>({
  topics: ['memory'],
  fetch: (signal) => apiGet<MemoryFact[]>('api/memory', signal),
});

export async function forgetFact(key: string): Promise<void> {
  await apiDelete<{ ok: true }>(`api/memory/${seg(key)}`);
  memoryCollection.update((list) => list.filter((m) => m.key !== key));
}
