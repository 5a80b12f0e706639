import { describe, expect, it } from 'vitest';
import { consumedFilters, normalizeContract, producedTopics, snakeCase } from '../../../../server/src/bus/topic-bus/contract.ts';

describe('normalizeContract', () => {
  it('coerces a bare string into a list', () => {
    const { contract, warnings } = normalizeContract('temp-sim', { publishes: 'sensors/data' });
    expect(contract.publishes).toEqual(['sensors/data']);
    expect(warnings).toEqual([]);
  });

  it('accepts the kwarg aliases of the original', () => {
    const { contract } = normalizeContract('a', {
      topics: ['out/x'],
      subscribe: 'in/+',
      schema: { temp: 'number' },
      input_schema: { city: 'string' },
      trigger: 'custom/triggers/a',
      desc: 'demo',
    });
    expect(contract).toMatchObject({
      agent: 'a',
      publishes: ['out/x'],
      subscribes: ['in/+'],
      triggers: ['custom/triggers/a'],
      produces_schema: { temp: 'number' },
      consumes_schema: { city: 'string' },
      description: 'demo',
      declared: true,
    });
  });

  it('accepts camelCase keys and output_schema', () => {
    const { contract } = normalizeContract('a', { outputSchema: { v: 'number' }, subscribes: ['x'] });
    expect(contract.produces_schema).toEqual({ v: 'number' });
    expect(snakeCase('producesSchema')).toBe('produces_schema');
  });

  it('reads `produces` as topics when a list and as a schema when an object', () => {
    expect(normalizeContract('a', { produces: ['t/1'] }).contract.publishes).toEqual(['t/1']);
    expect(normalizeContract('a', { produces: { t: 'number' } }).contract.produces_schema).toEqual({ t: 'number' });
    expect(normalizeContract('a', { consumes: 'in/x' }).contract.subscribes).toEqual(['in/x']);
  });

  it('filters bogus entries that leak from kwarg confusion and merges aliases', () => {
    const { contract, warnings } = normalizeContract('a', { publishes: ['publishes', 'x/y'], topics: 'x/y', publish: ['z'] });
    expect(contract.publishes).toEqual(['x/y', 'z']);
    expect(warnings).toEqual(['publishes: dropped "publishes" (a field name, not a topic)']);
  });

  it('warns about unknown fields and wrong shapes instead of failing', () => {
    const { contract, warnings } = normalizeContract('a', { colour: 'red', schema: 'temp', description: 5 });
    expect(contract.publishes).toEqual([]);
    expect(warnings).toEqual([
      'ignored unknown contract field "colour"',
      'schema: expected an object like {"temp": "number"}, ignored',
      'description: expected a string',
    ]);
  });

  it('declares nothing for a non-object, with a warning', () => {
    const { contract, warnings } = normalizeContract('a', 'sensors/data');
    expect(contract.publishes).toEqual([]);
    expect(warnings[0]).toMatch(/must be an object, got string/);
  });

  it('counts triggers as consumed and observed topics as produced', () => {
    const { contract } = normalizeContract('a', { subscribes: ['x'], triggers: ['y', 'x'], publishes: ['p'] });
    contract.observed_samples['q'] = { type: 'object', fields: {}, example: {}, count: 1, first_seen: 0, last_seen: 0 };
    expect(consumedFilters(contract)).toEqual(['x', 'y']);
    expect(producedTopics(contract)).toEqual(['p', 'q']);
  });
});
