import { describe, expect, it } from 'vitest';
import { explainMismatch, matchesFilter } from '../../../../server/src/agents/ha/filter.ts';

const doorOpened = { entity_id: 'binary_sensor.front_door', domain: 'binary_sensor', new_state: { state: 'on', attributes: { device_class: 'door', battery: 80 } }, old_state: { state: 'off' } };

describe('detection_filter', () => {
  it('matches literals with strict type equality', () => {
    expect(matchesFilter({ triggered: true }, { triggered: true })).toBe(true);
    expect(matchesFilter({ triggered: true }, { triggered: 'true' })).toBe(false);
    expect(matchesFilter({ count: 1 }, { count: '1' })).toBe(false);
    expect(matchesFilter({ count: 1 }, { count: 1 })).toBe(true);
    expect(matchesFilter({ label: 'person' }, { label: 'Person' })).toBe(false);
    expect(matchesFilter({ gone: null }, { gone: null })).toBe(true);
    expect(matchesFilter({ gone: null }, {})).toBe(false);
  });

  it('reads dotted paths into the state bridge payload (no filter agent needed)', () => {
    expect(matchesFilter({ entity_id: 'binary_sensor.front_door', 'new_state.state': 'on' }, doorOpened)).toBe(true);
    expect(matchesFilter({ 'new_state.state': 'on', 'old_state.state': 'off' }, doorOpened)).toBe(true);
    expect(matchesFilter({ 'new_state.attributes.device_class': 'door' }, doorOpened)).toBe(true);
    expect(matchesFilter({ 'new_state.state': 'off' }, doorOpened)).toBe(false);
    expect(matchesFilter({ 'new_state.missing.deeper': 'x' }, doorOpened)).toBe(false);
    expect(matchesFilter({ 'objects.0.label': 'cat' }, { objects: [{ label: 'cat' }] })).toBe(true);
  });

  it('supports every operator: eq, ne, gt, lt, gte, lte', () => {
    expect(matchesFilter({ 'new_state.state': { eq: 'on' } }, doorOpened)).toBe(true);
    expect(matchesFilter({ 'new_state.state': { eq: 'off' } }, doorOpened)).toBe(false);
    expect(matchesFilter({ 'new_state.state': { ne: 'unavailable' } }, doorOpened)).toBe(true);
    expect(matchesFilter({ 'new_state.state': { ne: 'on' } }, doorOpened)).toBe(false);
    expect(matchesFilter({ score: { gt: 0.7 } }, { score: 0.8 })).toBe(true);
    expect(matchesFilter({ score: { gt: 0.7 } }, { score: 0.7 })).toBe(false);
    expect(matchesFilter({ score: { gte: 0.7 } }, { score: 0.7 })).toBe(true);
    expect(matchesFilter({ score: { gte: 0.7 } }, { score: 0.69 })).toBe(false);
    expect(matchesFilter({ score: { lt: 0.7 } }, { score: 0.69 })).toBe(true);
    expect(matchesFilter({ score: { lt: 0.7 } }, { score: 0.7 })).toBe(false);
    expect(matchesFilter({ score: { lte: 0.7 } }, { score: 0.7 })).toBe(true);
    expect(matchesFilter({ score: { lte: 0.7 } }, { score: 0.71 })).toBe(false);
  });

  it('compares HA\'s string states numerically under ordering operators, never as text', () => {
    expect(matchesFilter({ 'new_state.state': { gt: 28 } }, { new_state: { state: '28.5' } })).toBe(true);
    expect(matchesFilter({ 'new_state.state': { gt: 28 } }, { new_state: { state: '9' } })).toBe(false);
    expect(matchesFilter({ 'new_state.state': { gt: 28 } }, { new_state: { state: 'unavailable' } })).toBe(false);
    expect(matchesFilter({ temp: { lt: 30 } }, { temp: true })).toBe(false);
  });

  it('combines operators (a range) and entries (AND)', () => {
    const filter = { 'new_state.state': { gte: 20, lt: 25 }, entity_id: 'sensor.t' };
    expect(matchesFilter(filter, { entity_id: 'sensor.t', new_state: { state: '21' } })).toBe(true);
    expect(matchesFilter(filter, { entity_id: 'sensor.t', new_state: { state: '25' } })).toBe(false);
    expect(matchesFilter(filter, { entity_id: 'sensor.u', new_state: { state: '21' } })).toBe(false);
    expect(matchesFilter({ x: { eq: 'a', ne: 'b' } }, { x: 'a' })).toBe(true);
  });

  it('matches everything without a filter (the scheduled-trigger pattern)', () => {
    expect(matchesFilter(undefined, { anything: 1 })).toBe(true);
    expect(matchesFilter(null, 'text')).toBe(true);
    expect(matchesFilter({}, null)).toBe(true);
  });

  it('says which entry did not hold', () => {
    expect(explainMismatch({ 'new_state.state': 'off' }, doorOpened)).toBe('new_state.state is "on", wanted "off"');
    expect(explainMismatch({ nothing: 1 }, doorOpened)).toBe('nothing is missing, wanted 1');
    expect(explainMismatch({ 'new_state.state': 'on' }, doorOpened)).toBeUndefined();
  });
});
