import { describe, expect, it } from 'vitest';
import { describeFields, formatFields, kindOf, trimExample, updateObserved } from '../../../../server/src/bus/topic-bus/observed.ts';

describe('observed samples', () => {
  it('captures field names, JS kinds and one example from a real payload', () => {
    const s = updateObserved(undefined, { temp: 30.5, humidity: 47.7 }, 1000);
    expect(s).toEqual({
      type: 'object',
      fields: { temp: 'number', humidity: 'number' },
      example: { temp: 30.5, humidity: 47.7 },
      count: 1,
      first_seen: 1000,
      last_seen: 1000,
    });
    expect(formatFields(s.fields)).toBe('{temp: number, humidity: number}');
  });

  it('flattens nested objects into dotted paths and keeps arrays as one field', () => {
    expect(describeFields({ entity_id: 'light.x', new_state: { state: 'on', attributes: { brightness: 200 } }, objects: [1], meta: {} })).toEqual({
      entity_id: 'string',
      'new_state.state': 'string',
      'new_state.attributes.brightness': 'number',
      objects: 'array',
      meta: 'object',
    });
  });

  it('describes non-object payloads by their kind only', () => {
    const s = updateObserved(undefined, 21.5, 0);
    expect(s.type).toBe('number');
    expect(s.fields).toEqual({});
    expect(kindOf(null)).toBe('null');
    expect(kindOf(new Uint8Array(3))).toBe('binary');
  });

  it('accumulates fields across publishes, merges changing kinds and keeps the latest example', () => {
    let s = updateObserved(undefined, { temp: 20 }, 1);
    s = updateObserved(s, { temp: 'unavailable', battery: 80 }, 2);
    expect(s.fields).toEqual({ temp: 'number|string', battery: 'number' });
    expect(s.example).toEqual({ temp: 'unavailable', battery: 80 });
    expect(s.count).toBe(2);
    expect(s.first_seen).toBe(1);
    expect(s.last_seen).toBe(2);
  });

  it('trims examples so a camera frame or a log dump cannot bloat a manifest', () => {
    const big = { image: 'x'.repeat(5000), list: Array.from({ length: 50 }, (_, i) => i), bytes: new Uint8Array(1024) };
    const t = trimExample(big) as { image: string; list: unknown[]; bytes: string };
    expect(t.image).toHaveLength(201);
    expect(t.list).toHaveLength(11);
    expect(t.list.at(-1)).toBe('…40 more');
    expect(t.bytes).toBe('<binary 1024 bytes>');
  });

  it('caps the number of fields recorded', () => {
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, i]));
    expect(Object.keys(updateObserved(undefined, wide, 0).fields)).toHaveLength(64);
  });
});
