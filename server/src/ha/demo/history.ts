// The recorder of the demo home: every state_changed is kept (per entity, bounded), and tests can
// write past points for backtests. Queried like HA's /api/history/period: one list per entity,
// starting with the state at the start time, then every change up to the end time.
import type { HassEntity } from 'home-assistant-js-websocket';
import type { DemoEventBus } from './event-bus.ts';
import { isoTime, newContext } from './protocol.ts';

export interface HistoryQuery {
  start: number;
  end: number;
  entityIds: string[];
  /** Only the first and last entries are full states; the rest carry state and last_changed. */
  minimal?: boolean;
  noAttributes?: boolean;
}

export type HistoryEntry = HassEntity | { state: string; last_changed: string };

const MAX_POINTS_PER_ENTITY = 10_000;

export class DemoHistory {
  readonly #points = new Map<string, HassEntity[]>();
  #unlisten: (() => void) | undefined;

  /** Starts recording from the bus. */
  attach(bus: DemoEventBus): void {
    this.#unlisten = bus.listen('state_changed', (event) => {
      const next = event.data.new_state as HassEntity | null;
      if (next) this.#insert(next);
    });
  }

  detach(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
  }

  /** Writes a past (or future) point, e.g. a week of temperatures for a backtest. */
  record(entityId: string, state: string, attributes: Record<string, unknown>, at: number): void {
    const iso = isoTime(at);
    this.#insert({ entity_id: entityId, state, attributes, last_changed: iso, last_updated: iso, context: newContext(at) });
  }

  query(q: HistoryQuery): HistoryEntry[][] {
    const out: HistoryEntry[][] = [];
    for (const entityId of q.entityIds) {
      const series = this.#points.get(entityId) ?? [];
      const rows: HassEntity[] = [];
      const before = lastIndexBefore(series, q.start);
      const startIso = isoTime(q.start);
      if (before >= 0) {
        const s = series[before];
        rows.push({ ...s, last_changed: startIso, last_updated: startIso });
      }
      for (let i = before + 1; i < series.length; i++) {
        const s = series[i];
        const t = Date.parse(s.last_updated);
        if (t > q.end) break;
        rows.push(s);
      }
      if (rows.length === 0) continue;
      out.push(rows.map((s, i) => shape(s, q, i === 0 || i === rows.length - 1)));
    }
    return out;
  }

  #insert(state: HassEntity): void {
    const series = this.#points.get(state.entity_id) ?? [];
    this.#points.set(state.entity_id, series);
    const t = Date.parse(state.last_updated);
    let i = series.length;
    while (i > 0 && Date.parse(series[i - 1].last_updated) > t) i--;
    if (i === series.length) series.push(state);
    else series.splice(i, 0, state);
    // Trimmed in chunks: dropping one point per insert would shift the whole array every time.
    if (series.length > MAX_POINTS_PER_ENTITY * 1.25) series.splice(0, series.length - MAX_POINTS_PER_ENTITY);
  }
}

function lastIndexBefore(series: readonly HassEntity[], start: number): number {
  let found = -1;
  for (let i = 0; i < series.length; i++) {
    if (Date.parse(series[i].last_updated) <= start) found = i;
    else break;
  }
  return found;
}

function shape(s: HassEntity, q: HistoryQuery, full: boolean): HistoryEntry {
  if (q.minimal && !full) return { state: s.state, last_changed: s.last_changed };
  return q.noAttributes ? { ...s, attributes: {} } : s;
}
