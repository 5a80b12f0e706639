// A live list: fetched once, patched by live events, refetched when the connection says events
// may have been missed. Ref-counted: the first subscriber opens it, the last one closes it (the
// pattern of home-assistant-js-websocket's collection.ts), so views never poll and never leak.
import { live, subscribeLive } from './live.ts';
import type { LiveEvent } from './types.ts';

export interface CollectionState<T> {
  data: T | undefined;
  error: string | undefined;
}

export interface Collection<T> {
  subscribe(listener: (state: CollectionState<T>) => void): () => void;
  refresh(): Promise<void>;
  /** Applies a change the caller already knows about (its own mutation's result). */
  update(fn: (data: T) => T): void;
}

export interface CollectionOptions<T> {
  topics: string[];
  fetch(signal: AbortSignal): Promise<T>;
  /** Returns the new data, or 'refetch' when the event cannot be applied locally. */
  apply?(data: T, event: LiveEvent): T | 'refetch';
  /**
   * Events that ask for a refetch while one is under way do not abort it: they queue at most one
   * more, run when it ends. For lists whose events come often (a rule's evaluations), so a burst
   * costs two fetches and the last one still sees everything. The default replaces the fetch.
   */
  coalesce?: boolean;
}

/** How long a first load waits for the live subscription before fetching anyway. */
const READY_WAIT_MS = 1500;

export function createCollection<T>(opts: CollectionOptions<T>): Collection<T> {
  const listeners = new Set<(s: CollectionState<T>) => void>();
  let state: CollectionState<T> = { data: undefined, error: undefined };
  let unsubscribe: (() => void) | undefined;
  let abort: AbortController | undefined;
  let current: Promise<void> | undefined;
  let again = false;

  const emit = (next: CollectionState<T>) => {
    state = next;
    listeners.forEach((l) => l(state));
  };

  const load = async (ac: AbortController): Promise<void> => {
    try {
      const data = await opts.fetch(ac.signal);
      if (!ac.signal.aborted) emit({ data, error: undefined });
    } catch (err) {
      if (!ac.signal.aborted) emit({ data: state.data, error: (err as Error).message });
    }
  };

  const refresh = (): Promise<void> => {
    abort?.abort();
    const ac = new AbortController();
    abort = ac;
    const run = load(ac).finally(() => {
      // Only the newest fetch drains the queue: an aborted one was replaced by one still running.
      if (current !== run) return;
      current = undefined;
      if (again && !ac.signal.aborted) {
        again = false;
        void refresh();
      }
    });
    current = run;
    return run;
  };

  const refetch = () => {
    if (opts.coalesce && current) again = true;
    else void refresh();
  };

  const onEvent = (event: LiveEvent) => {
    if (!opts.apply) return refetch();
    if (state.data === undefined) return;
    const next = opts.apply(state.data, event);
    if (next === 'refetch') refetch();
    else emit({ data: next, error: undefined });
  };

  const open = () => {
    unsubscribe = subscribeLive({ topics: opts.topics, onEvent, onResync: () => void refresh() });
    // Fetch once the subscription stands, so no change can fall between the list and the stream;
    // without a working WebSocket the list still loads.
    const ready = Promise.all(opts.topics.map((t) => live.ready(t)));
    void Promise.race([ready, new Promise((r) => setTimeout(r, READY_WAIT_MS))]).then(() => {
      if (unsubscribe) void refresh();
    });
  };

  const close = () => {
    unsubscribe?.();
    unsubscribe = undefined;
    again = false;
    abort?.abort();
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) open();
      listener(state);
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) close();
      };
    },
    refresh,
    update(fn) {
      if (state.data !== undefined) emit({ data: fn(state.data), error: undefined });
    },
  };
}
