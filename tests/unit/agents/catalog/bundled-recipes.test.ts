// The recipes the image ships pass the checks an owner's recipe gets at load (spawn config, code
// linted and compiled in a scratch isolate): the server skips them for bundled recipes at start,
// so this is where a broken bundled recipe is caught.
import { expect, test } from 'vitest';
import { checkRecipe } from '../../../../server/src/agents/catalog/library.ts';
import { DEFAULT_RECIPES_DIR, loadRecipes } from '../../../../server/src/agents/catalog/recipe.ts';

test('every bundled recipe loads and passes checkRecipe', async () => {
  const { recipes, errors } = loadRecipes(DEFAULT_RECIPES_DIR, { source: 'bundled' });
  expect(errors).toEqual([]);
  expect(recipes.length).toBeGreaterThanOrEqual(5);
  const problems = await Promise.all(recipes.map(async (r) => [r.meta.name, await checkRecipe(r)] as const));
  expect(problems.filter(([, problem]) => problem !== undefined)).toEqual([]);
});

test('checkRecipe does catch a broken bundled-style recipe (the test above can fail)', async () => {
  const { recipes } = loadRecipes(DEFAULT_RECIPES_DIR, { source: 'bundled' });
  const broken = { ...recipes[0], code: 'async function setup(agent) { this is not javascript }' };
  expect(await checkRecipe(broken)).toMatch(/agent\.js/);
});
