// The one in-memory copy of every entity's state, fed by `subscribe_entities` (HA's compressed
// add/change/remove stream), so a condition reads a Map instead of fetching all states. Updated
// in place: home-assistant-js-websocket's own entities collection copies the whole state object on
// every event, which costs O(entities) per change. After a (re)subscription HA first sends the
// full set, which replaces the cache: entities that vanished while disconnected are removed.
import type { Context, HassEntity } from 'home-assistant-js-websocket';

interface CompressedState {
  s: string;
  a: Record<string, unknown>;
  c: string | Context;
  lc: number;
  lu?: number;
}
interface CompressedDiff {
  '+'?: { s?: string; a?: Record<string, unknown>; c?: string | Partial<Context>; lc?: number; lu?: number };
  '-'?: { a?: string[] };
}
/** One subscribe_entities event. */
export interface EntitiesMessage {
  a?: Record<string, CompressedState>;
  c?: Record<string, CompressedDiff>;
  r?: string[];
}

export interface EntityChange {
  entityId: string;
  /** null when the entity was removed. */
  newState: HassEntity | null;
  /** null when the entity is new. */
  oldState: HassEntity | null;
}

export type EntityChangeListener = (change: EntityChange) => void;

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export class EntityCache {
  readonly #states = new Map<string, HassEntity>();
  readonly #listeners = new Set<EntityChangeListener>();
  #expectingSnapshot = true;
  #snapshots = 0;
  readonly #onListenerError: (err: unknown) => void;

  constructor(onListenerError: (err: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  get(entityId: string): HassEntity | undefined {
    return this.#states.get(entityId);
  }

  has(entityId: string): boolean {
    return this.#states.has(entityId);
  }

  all(): HassEntity[] {
    return [...this.#states.values()];
  }

  ids(): IterableIterator<string> {
    return this.#states.keys();
  }

  get size(): number {
    return this.#states.size;
  }

  /** True once the first full snapshot has arrived. */
  get loaded(): boolean {
    return this.#snapshots > 0;
  }

  onChange(listener: EntityChangeListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** The next message is the full snapshot HA sends after (re)subscribing. */
  expectSnapshot(): void {
    this.#expectingSnapshot = true;
  }

  apply(msg: EntitiesMessage): void {
    if (this.#expectingSnapshot && msg.a) return this.#replaceAll(msg.a);
    if (msg.a) for (const [id, compressed] of Object.entries(msg.a)) this.#put(id, expand(id, compressed));
    if (msg.r) {
      for (const id of msg.r) {
        const old = this.#states.get(id);
        if (!old) continue;
        this.#states.delete(id);
        this.#emit({ entityId: id, newState: null, oldState: old });
      }
    }
    if (msg.c) {
      for (const [id, diff] of Object.entries(msg.c)) {
        const old = this.#states.get(id);
        if (old) this.#put(id, applyDiff(old, diff));
      }
    }
  }

  #replaceAll(full: Record<string, CompressedState>): void {
    this.#expectingSnapshot = false;
    this.#snapshots++;
    const seen = new Set<string>();
    for (const [id, compressed] of Object.entries(full)) {
      seen.add(id);
      const next = expand(id, compressed);
      const old = this.#states.get(id);
      // A reconnect resends everything; only what actually differs is a change.
      if (old && old.state === next.state && old.last_updated === next.last_updated) continue;
      this.#put(id, next);
    }
    for (const [id, old] of [...this.#states]) {
      if (seen.has(id)) continue;
      this.#states.delete(id);
      this.#emit({ entityId: id, newState: null, oldState: old });
    }
  }

  #put(id: string, next: HassEntity): void {
    const old = this.#states.get(id) ?? null;
    this.#states.set(id, next);
    this.#emit({ entityId: id, newState: next, oldState: old });
  }

  #emit(change: EntityChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }
}

function contextOf(c: string | Context): Context {
  return typeof c === 'string' ? { id: c, parent_id: null, user_id: null } : c;
}

function expand(entityId: string, s: CompressedState): HassEntity {
  const lastChanged = iso(s.lc);
  return { entity_id: entityId, state: s.s, attributes: s.a, context: contextOf(s.c), last_changed: lastChanged, last_updated: s.lu ? iso(s.lu) : lastChanged };
}

/** Same rules as home-assistant-js-websocket's entities.ts processEvent, without copying the map. */
function applyDiff(old: HassEntity, diff: CompressedDiff): HassEntity {
  const next: HassEntity = { ...old };
  const add = diff['+'];
  const removed = diff['-']?.a;
  if (add?.a || removed) next.attributes = { ...old.attributes };
  if (add) {
    if (add.s !== undefined) next.state = add.s;
    if (add.c) next.context = typeof add.c === 'string' ? { ...old.context, id: add.c } : { ...old.context, ...add.c };
    if (add.lc) next.last_updated = next.last_changed = iso(add.lc);
    else if (add.lu) next.last_updated = iso(add.lu);
    if (add.a) Object.assign(next.attributes, add.a);
  }
  if (removed) for (const key of removed) delete next.attributes[key];
  return next;
}
