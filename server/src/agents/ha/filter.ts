// The ha_actuator's detection_filter. Keys are dotted paths into the payload ("triggered",
// "new_state.state"), so a state-bridge message can drive an actuator without a filter agent in
// between (the seeds' Pattern 1 needed one). Literals, `eq` and `ne` compare with strict type
// equality: `true` does not match "true", 1 does not match "1" (a detector that publishes the
// wrong type is a bug to see, not to paper over). gt/lt/gte/lte are numeric and read numeric
// strings as numbers, because Home Assistant reports every state as a string ("21.5").
import { getPath } from '../../bus/topic-bus/dotted-path.ts';
import { toNumber } from '../../bus/topic-bus/values.ts';
import type { DetectionFilter } from '../spawn-config/detection-filter.ts';

type Condition = NonNullable<DetectionFilter>[string];

export function matchesFilter(filter: DetectionFilter | undefined, payload: unknown): boolean {
  if (!filter) return true;
  for (const path in filter) {
    if (!matchesOne(filter[path], getPath(payload, path))) return false;
  }
  return true;
}

/** The first entry that does not hold, for logs: `new_state.state is "off", wanted "on"`. */
export function explainMismatch(filter: DetectionFilter | undefined, payload: unknown): string | undefined {
  if (!filter) return undefined;
  for (const path in filter) {
    const cond = filter[path];
    const actual = getPath(payload, path);
    if (!matchesOne(cond, actual)) return `${path} is ${actual === undefined ? 'missing' : JSON.stringify(actual)}, wanted ${JSON.stringify(cond)}`;
  }
  return undefined;
}

export interface ClauseResult {
  path: string;
  actual: unknown;
  wanted: Condition;
  ok: boolean;
}

/** Every clause with the value it saw, for traces (all of them: the second may matter as much as the first). */
export function filterClauses(filter: DetectionFilter | undefined, payload: unknown): ClauseResult[] {
  if (!filter) return [];
  const out: ClauseResult[] = [];
  for (const path in filter) {
    const actual = getPath(payload, path);
    out.push({ path, actual, wanted: filter[path], ok: matchesOne(filter[path], actual) });
  }
  return out;
}

function matchesOne(cond: Condition, actual: unknown): boolean {
  if (cond === null || typeof cond !== 'object') return actual === cond;
  if (cond.eq !== undefined && actual !== cond.eq) return false;
  if (cond.ne !== undefined && actual === cond.ne) return false;
  if (cond.gt === undefined && cond.lt === undefined && cond.gte === undefined && cond.lte === undefined) return true;
  const n = toNumber(actual);
  if (n === undefined) return false;
  if (cond.gt !== undefined && !(n > cond.gt)) return false;
  if (cond.lt !== undefined && !(n < cond.lt)) return false;
  if (cond.gte !== undefined && !(n >= cond.gte)) return false;
  if (cond.lte !== undefined && !(n <= cond.lte)) return false;
  return true;
}
