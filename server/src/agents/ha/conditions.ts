// Rule conditions (AND) on live entity state, read from the HaClient's in-memory cache: a check
// never fetches all states. `attribute: "state"` compares the state; any other name (or dotted
// path) an attribute. eq/ne compare text with text ("21" equals 21): HA states are strings, and a
// condition written {value: 21} means the number HA shows as "21". gt/lt/gte/lte are numeric.
import type { HassEntity } from 'home-assistant-js-websocket';
import { getPath } from '../../bus/topic-bus/dotted-path.ts';
import { looseEquals, toNumber } from '../../bus/topic-bus/values.ts';
import type { HaCondition } from '../../ha/action.ts';

export type ConditionCheck = { ok: true } | { ok: false; reason: string };

export interface ConditionResult {
  /** `light.x` or `light.x.brightness`. */
  what: string;
  /** The entity's state at that moment (the attribute's value for an attribute condition). */
  actual: unknown;
  ok: boolean;
  reason: string;
}

/** Each condition on its own, for traces; `ok` of all of them equals checkConditions' verdict. */
export function conditionResults(conditions: readonly HaCondition[], stateOf: (entityId: string) => HassEntity | undefined): ConditionResult[] {
  return conditions.map((c) => {
    const state = stateOf(c.entity_id);
    const what = c.attribute === 'state' ? c.entity_id : `${c.entity_id}.${c.attribute}`;
    if (!state) return { what, actual: undefined, ok: false, reason: `${c.entity_id} does not exist in Home Assistant` };
    const actual = c.attribute === 'state' ? state.state : getPath(state.attributes, c.attribute);
    const ok = holds(c.operator, actual, c.value);
    return { what, actual, ok, reason: `${what} is ${actual === undefined ? 'missing' : JSON.stringify(actual)}, the rule wants ${c.operator} ${JSON.stringify(c.value)}` };
  });
}

export function checkConditions(conditions: readonly HaCondition[], stateOf: (entityId: string) => HassEntity | undefined): ConditionCheck {
  for (const c of conditions) {
    const state = stateOf(c.entity_id);
    if (!state) return { ok: false, reason: `${c.entity_id} does not exist in Home Assistant` };
    const actual = c.attribute === 'state' ? state.state : getPath(state.attributes, c.attribute);
    if (!holds(c.operator, actual, c.value)) {
      const what = c.attribute === 'state' ? c.entity_id : `${c.entity_id}.${c.attribute}`;
      return { ok: false, reason: `${what} is ${actual === undefined ? 'missing' : JSON.stringify(actual)}, the rule wants ${c.operator} ${JSON.stringify(c.value)}` };
    }
  }
  return { ok: true };
}

function holds(op: HaCondition['operator'], actual: unknown, expected: HaCondition['value']): boolean {
  switch (op) {
    case 'eq':
      return looseEquals(actual, expected);
    case 'ne':
      return !looseEquals(actual, expected);
    case 'gt':
    case 'lt':
    case 'gte':
    case 'lte': {
      const a = toNumber(actual);
      const b = toNumber(expected);
      if (a === undefined || b === undefined) return false;
      return op === 'gt' ? a > b : op === 'lt' ? a < b : op === 'gte' ? a >= b : a <= b;
    }
  }
}
