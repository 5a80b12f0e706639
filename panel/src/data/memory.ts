// Memory: facts with their source; forgetting one, or all of them.
import { apiDelete, apiGet, seg } from './api.ts';
import { createCollection } from './collection.ts';
import type { MemoryClearResult, MemoryFact } from './types.ts';

export const memoryCollection = createCollection<MemoryFact[]>({
  topics: ['memory'],
  fetch: (signal) => apiGet<MemoryFact[]>('api/memory', signal),
});

export async function forgetFact(key: string): Promise<void> {
  await apiDelete<{ ok: true }>(`api/memory/${seg(key)}`);
  memoryCollection.update((list) => list.filter((m) => m.key !== key));
}

/** Forgets every fact; how many there were. */
export async function clearMemory(): Promise<number> {
  const { forgotten } = await apiDelete<MemoryClearResult>('api/memory');
  memoryCollection.update(() => []);
  return forgotten;
}
