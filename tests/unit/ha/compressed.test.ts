// HA's compressed entity format (core State.as_compressed_state and websocket_api _state_diff):
// which keys appear when, so home-assistant-js-websocket reads the demo home like a real HA.
import type { HassEntity } from 'home-assistant-js-websocket';
import { describe, expect, it } from 'vitest';
import { compressState, stateDiff } from '../../../server/src/ha/demo/compressed.ts';

const base: HassEntity = {
  entity_id: 'light.kitchen',
  state: 'off',
  attributes: { friendly_name: 'Kitchen', brightness: null },
  last_changed: '2025-01-01T00:00:00.000000+00:00',
  last_updated: '2025-01-01T00:00:00.000000+00:00',
  context: { id: 'A', parent_id: null, user_id: null },
};

describe('compressed states', () => {
  it('uses s/a/c/lc, the bare context id when parent and user are null, lu only when it differs', () => {
    expect(compressState(base)).toEqual({ s: 'off', a: base.attributes, c: 'A', lc: 1735689600 });
    const updated = { ...base, last_updated: '2025-01-01T00:00:01.500000+00:00', context: { id: 'B', parent_id: null, user_id: 'U' } };
    expect(compressState(updated)).toEqual({ s: 'off', a: base.attributes, c: updated.context, lc: 1735689600, lu: 1735689601.5 });
  });

  it('diffs: state and lc on a state change, lu on an attribute-only change, removed attribute keys under "-"', () => {
    const on = { ...base, state: 'on', last_changed: '2025-01-01T00:00:05.000000+00:00', last_updated: '2025-01-01T00:00:05.000000+00:00', context: { id: 'B', parent_id: null, user_id: null } };
    expect(stateDiff(base, on)).toEqual({ '+': { s: 'on', lc: 1735689605, c: 'B' } });
    const dimmed = { ...on, attributes: { friendly_name: 'Kitchen', brightness: 80, effect: 'none' }, last_updated: '2025-01-01T00:00:06.000000+00:00', context: { id: 'C', parent_id: null, user_id: null } };
    expect(stateDiff(on, dimmed)).toEqual({ '+': { lu: 1735689606, c: 'C', a: { brightness: 80, effect: 'none' } } });
    const plain = { ...dimmed, attributes: { friendly_name: 'Kitchen', brightness: 80 } };
    expect(stateDiff(dimmed, plain)).toEqual({ '+': {}, '-': { a: ['effect'] } });
  });

  it('sends context changes of user or parent as an object carrying the new id', () => {
    const byUser = { ...base, context: { id: 'B', parent_id: null, user_id: 'U' } };
    expect(stateDiff(base, byUser)['+']?.c).toEqual({ user_id: 'U', id: 'B' });
    const sameIdNewParent = { ...base, context: { id: 'A', parent_id: 'P', user_id: null } };
    expect(stateDiff(base, sameIdNewParent)['+']?.c).toEqual({ parent_id: 'P' });
  });
});
