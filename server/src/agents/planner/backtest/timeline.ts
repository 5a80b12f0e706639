// Recorded states of one entity as a timeline: from HA's history (/api/history/period), one point
// per recorded state, oldest first, with the state in force at any moment.
import type { HistoryEntry } from '../../../ha/client.ts';

export interface StatePoint {
  at: number;
  state: string;
  attributes: Record<string, unknown>;
}

export class Timeline {
  readonly entityId: string;
  readonly points: readonly StatePoint[];

  constructor(entityId: string, points: StatePoint[]) {
    this.entityId = entityId;
    this.points = [...points].sort((a, b) => a.at - b.at);
  }

  /** The point in force at `at` (the last one at or before it). */
  at(at: number): StatePoint | undefined {
    let found: StatePoint | undefined;
    for (const p of this.points) {
      if (p.at > at) break;
      found = p;
    }
    return found;
  }
}

/** HA answers one list per entity; only full entries carry entity_id, so the first one names the list. */
export function timelinesFromHistory(history: readonly (readonly HistoryEntry[])[]): Map<string, Timeline> {
  const out = new Map<string, Timeline>();
  for (const list of history) {
    const first = list[0] as { entity_id?: string } | undefined;
    const entityId = first?.entity_id;
    if (!entityId) continue;
    const points = list.map((e): StatePoint => {
      const full = e as { last_updated?: string; last_changed: string; attributes?: Record<string, unknown> };
      return { at: Date.parse(full.last_updated ?? full.last_changed), state: e.state, attributes: full.attributes ?? {} };
    });
    out.set(entityId, new Timeline(entityId, points));
  }
  return out;
}
