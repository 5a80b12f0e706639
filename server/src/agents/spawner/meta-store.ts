// What the spawner remembers about a spawned agent beside its config (the spawn registry keeps the
// config exactly as the spawn schema defines it): who spawned it, the user-confirmed grants, and
// the SDK scopes a catalog recipe narrowed it to. Kept in the key/value store under a namespace no
// agent name can take (agent names are slugs), so it is durable with the same guarantees.
import type { KeyValueStore } from '../../store/kv.ts';
import type { SpawnOrigin } from './agent-spawner.ts';

const NAMESPACE = '@spawner';

export interface SpawnMeta {
  origin: SpawnOrigin;
  /** User-confirmed grants (ha:sensitive...). */
  grants: string[];
  /** SDK scopes the agent is limited to; undefined = the default grant. */
  scopes?: string[];
}

export class SpawnMetaStore {
  readonly #kv: KeyValueStore;

  constructor(kv: KeyValueStore) {
    this.#kv = kv;
  }

  get(name: string): SpawnMeta | undefined {
    return this.#kv.get(NAMESPACE, name) as SpawnMeta | undefined;
  }

  set(name: string, meta: SpawnMeta): void {
    this.#kv.set(NAMESPACE, name, meta);
  }

  delete(name: string): void {
    this.#kv.delete(NAMESPACE, name);
  }
}
