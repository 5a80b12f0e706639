// Areas, floors, devices, entities and labels, fetched with the config/*_registry/list commands
// when the connection is (re)established and refetched when HA fires the matching
// *_registry_updated event. HA fires those in bursts (an integration reloading updates dozens of
// entities), so a refresh asked for while one is running runs once more afterwards, not N times.
import type { Connection } from 'home-assistant-js-websocket';
import { REGISTRY_KINDS, REGISTRY_SCHEMAS, REGISTRY_WIRE, type HaRegistries, type RegistryKind } from './schemas.ts';

export type RegistryListener = (kind: RegistryKind) => void;

export class RegistryCache {
  #data: { [K in RegistryKind]: HaRegistries[K] } = { areas: [], floors: [], devices: [], entities: [], labels: [] };
  readonly #running = new Map<RegistryKind, Promise<void>>();
  readonly #again = new Set<RegistryKind>();
  readonly #listeners = new Set<RegistryListener>();
  readonly #onError: (kind: RegistryKind, err: unknown) => void;
  #loadedKinds = new Set<RegistryKind>();

  constructor(onError: (kind: RegistryKind, err: unknown) => void) {
    this.#onError = onError;
  }

  snapshot(): HaRegistries {
    return { ...this.#data };
  }

  get<K extends RegistryKind>(kind: K): HaRegistries[K] {
    return this.#data[kind];
  }

  get loaded(): boolean {
    return this.#loadedKinds.size === REGISTRY_KINDS.length;
  }

  onChange(listener: RegistryListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Subscribes to the five update events (the library resubscribes them after a reconnect). */
  async subscribe(conn: Connection, current: () => Connection | undefined): Promise<(() => Promise<void>)[]> {
    return Promise.all(
      REGISTRY_KINDS.map((kind) =>
        conn.subscribeEvents(() => {
          const live = current();
          if (live) void this.refresh(live, kind);
        }, REGISTRY_WIRE[kind].event),
      ),
    );
  }

  async refreshAll(conn: Connection): Promise<void> {
    await Promise.all(REGISTRY_KINDS.map((kind) => this.refresh(conn, kind)));
  }

  refresh(conn: Connection, kind: RegistryKind): Promise<void> {
    const inFlight = this.#running.get(kind);
    if (inFlight) {
      this.#again.add(kind);
      return inFlight;
    }
    const run = (async () => {
      try {
        do {
          this.#again.delete(kind);
          const raw = await conn.sendMessagePromise<unknown[]>({ type: REGISTRY_WIRE[kind].list });
          const schema = REGISTRY_SCHEMAS[kind];
          (this.#data as Record<RegistryKind, unknown[]>)[kind] = raw.flatMap((entry) => {
            const parsed = schema.safeParse(entry);
            return parsed.success ? [parsed.data] : [];
          });
          this.#loadedKinds.add(kind);
          this.#emit(kind);
        } while (this.#again.has(kind));
      } catch (err) {
        this.#onError(kind, err);
      } finally {
        this.#running.delete(kind);
      }
    })();
    this.#running.set(kind, run);
    return run;
  }

  #emit(kind: RegistryKind): void {
    for (const listener of this.#listeners) {
      try {
        listener(kind);
      } catch (err) {
        this.#onError(kind, err);
      }
    }
  }
}
