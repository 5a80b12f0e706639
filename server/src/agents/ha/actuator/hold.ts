// Restart-safe durations for ha_actuator (`for_seconds`, Home Assistant's `for:`): "open for more
// than 10 minutes". A message that passes the filter starts a hold with a deadline; a later message
// in which the state no longer holds cancels it; at the deadline the state is checked once more in
// Home Assistant and the rule is evaluated. One hold per entity (a wildcard topic watches many),
// and one firing per stretch of the state: a hold that fired stays until the state changes, so a
// repeated "open" (an attribute update) or a restart cannot make it act twice.
//
// The holds are the agent's durable state (actor_kv), written whenever they change: after a
// restart they are read back and each is checked against Home Assistant's current state: still
// holding and past its deadline, it fires (once); no longer holding, it is cancelled.
import type { HassEntity } from '../../../ha/client.ts';
import type { DetectionFilter } from '../../spawn-config/detection-filter.ts';

export const HOLDS_KEY = 'for_holds';

export interface Hold {
  /** The entity's id, or the topic for a message that names no entity. */
  key: string;
  entity: string | null;
  /** The message that started it, as a trace keeps it. */
  topic: string;
  message: string | null;
  since: number;
  deadline: number;
  /** It acted (or was evaluated) for this stretch of the state; kept until the state changes. */
  fired: boolean;
}

/** What is persisted: the holds, and what they were made for (an edited rule starts afresh). */
export interface SavedHolds {
  config: string;
  holds: Hold[];
}

export function holdsFingerprint(config: { mqtt_topics: readonly string[]; detection_filter?: DetectionFilter | undefined; for_seconds?: number | undefined }): string {
  return JSON.stringify([config.mqtt_topics, config.detection_filter ?? null, config.for_seconds ?? null]);
}

/**
 * The clauses that say what the state IS: `old_state.*` clauses describe how it got there, so an
 * attribute update (open -> open) fails a `closed -> open` filter without ending the stretch.
 */
export function holdingFilter(filter: DetectionFilter | undefined): DetectionFilter | undefined {
  if (!filter) return undefined;
  return Object.fromEntries(Object.entries(filter).filter(([path]) => path !== 'old_state' && !path.startsWith('old_state.')));
}

/** The entity a state-bridge message is about, else none (the topic keys the hold). */
export function entityOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const id = (payload as { entity_id?: unknown }).entity_id;
  return typeof id === 'string' && id.includes('.') ? id : null;
}

/** Home Assistant's current state in the shape of a state-bridge message, for the holding clauses. */
export function currentStatePayload(entity: string, state: HassEntity): Record<string, unknown> {
  return { entity_id: entity, domain: entity.split('.')[0], new_state: state, old_state: null };
}

export function readHolds(saved: unknown, fingerprint: string): Hold[] {
  if (typeof saved !== 'object' || saved === null) return [];
  const s = saved as Partial<SavedHolds>;
  if (s.config !== fingerprint || !Array.isArray(s.holds)) return [];
  return s.holds.filter((h): h is Hold => typeof h === 'object' && h !== null && typeof h.key === 'string' && typeof h.deadline === 'number' && typeof h.since === 'number');
}
