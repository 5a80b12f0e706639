// The spawn form's model: starting values from a recipe's schema, the request it sends (empty
// fields left to the recipe's defaults) and the catalog's refusal split onto the fields it names.
import { describe, expect, it } from 'vitest';
import { initialValues, nameProblem, spawnRequest, splitServerErrors } from '../../../panel/src/data/recipe-form.ts';
import type { RecipeInfo } from '../../../panel/src/data/types.ts';

const recipe: RecipeInfo = {
  name: 'daily-presence-summary',
  title: 'Daily presence summary',
  description: 'Who came and went today',
  tags: ['presence'],
  scopes: ['ha.read'],
  parameters: {
    hour: { type: 'integer', description: 'Hour of the day', default: 21, required: false },
    use_llm: { type: 'boolean', description: 'Write it with the LLM', default: true, required: false },
    notify_target: { type: 'string', description: 'Where to send it', default: '', required: false },
    mode: { type: 'string', description: 'How much to say', enum: ['short', 'long'], required: true },
  },
};

describe('initialValues', () => {
  it('starts each field at its default: text for text and numbers, a boolean for checkboxes, empty when there is none', () => {
    expect(initialValues(recipe)).toEqual({ hour: '21', use_llm: true, notify_target: '', mode: '' });
  });
});

describe('spawnRequest', () => {
  it('sends numbers as numbers, booleans as booleans, and leaves empty fields out', () => {
    expect(spawnRequest(recipe, { hour: ' 7 ', use_llm: false, notify_target: '', mode: 'short' }, '')).toEqual({ params: { hour: 7, use_llm: false, mode: 'short' } });
  });

  it('sends what was typed when a number field does not hold a number, so the server names the problem', () => {
    expect(spawnRequest(recipe, { hour: 'nine', use_llm: true, notify_target: 'mobile_app_phone', mode: 'long' }, ' evening-summary ')).toEqual({
      name: 'evening-summary',
      params: { hour: 'nine', use_llm: true, notify_target: 'mobile_app_phone', mode: 'long' },
    });
  });
});

describe('nameProblem', () => {
  it('accepts an empty name (the recipe names the agent) and a slug, and explains anything else', () => {
    expect(nameProblem('')).toBeUndefined();
    expect(nameProblem('kitchen-2')).toBeUndefined();
    expect(nameProblem('my agent')).toMatch(/Letters, digits/);
    expect(nameProblem('x'.repeat(65))).toBe('At most 64 characters.');
  });
});

describe('splitServerErrors', () => {
  it("puts each of the catalog's problems on the field it quotes", () => {
    const split = splitServerErrors('daily-presence-summary: "hour" must be a integer, got "nine"; "mode" is required: How much to say', recipe);
    expect(split.fields).toEqual({ hour: '"hour" must be a integer, got "nine"', mode: '"mode" is required: How much to say' });
    expect(split.general).toEqual([]);
  });

  it('finds the problems after a prefix added on the way, and keeps the rest general', () => {
    const split = splitServerErrors('⚠️ catalog: daily-presence-summary: unknown parameter "hours" (known: hour, use_llm); "hour" must be a integer, got 1.5', recipe);
    expect(split.fields).toEqual({ hour: '"hour" must be a integer, got 1.5' });
    expect(split.general).toEqual(['unknown parameter "hours" (known: hour, use_llm)']);
  });

  it('keeps a refusal that names no parameter as general text', () => {
    expect(splitServerErrors('an agent named kitchen already runs; pick another name', recipe)).toEqual({ fields: {}, general: ['an agent named kitchen already runs', 'pick another name'] });
  });
});
