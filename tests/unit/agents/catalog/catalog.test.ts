// The catalog: recipe files checked at load, parameters resolved and typed, fuzzy names, text and
// object requests, and recipes spawned with only the scopes they declare.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { parseRequest } from '../../../../server/src/agents/catalog/catalog-agent.ts';
import { findRecipe } from '../../../../server/src/agents/catalog/fuzzy.ts';
import { DEFAULT_RECIPES_DIR, loadRecipes, type Recipe } from '../../../../server/src/agents/catalog/recipe.ts';
import { renderRecipe, resolveParams } from '../../../../server/src/agents/catalog/render.ts';
import { validateSpawnConfig } from '../../../../server/src/agents/spawn-config/validate.ts';
import { checkAgentCode } from '../../../../server/src/sandbox/validate.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';
import { makeAgentsEnv, type AgentsEnv } from '../spawner/fixtures.ts';

const temps: { cleanup: () => void }[] = [];
let env: AgentsEnv | undefined;
afterEach(async () => {
  for (const t of temps.splice(0)) t.cleanup();
  await env?.close();
  env = undefined;
});

function recipeDir(recipes: Record<string, { meta: Record<string, unknown>; code: string }>): string {
  const dir = makeTempDir('wactorz-recipes-');
  temps.push(dir);
  for (const [name, r] of Object.entries(recipes)) {
    mkdirSync(join(dir.path, name));
    writeFileSync(join(dir.path, name, 'recipe.json'), JSON.stringify(r.meta));
    writeFileSync(join(dir.path, name, 'agent.js'), r.code);
  }
  return dir.path;
}

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, title: name, description: `the ${name} recipe`, type: 'dynamic', scopes: ['log'], ...extra });

test('every shipped recipe loads, renders to a valid spawn config and its code passes the check', async () => {
  const { recipes, errors } = loadRecipes(DEFAULT_RECIPES_DIR);
  expect(errors).toEqual([]);
  expect(recipes.length).toBeGreaterThanOrEqual(5);
  for (const r of recipes) {
    const config = validateSpawnConfig(renderRecipe(r));
    expect(config.ok, r.meta.name).toBe(true);
    const check = await checkAgentCode(renderRecipe(r).code);
    expect(check.errors, r.meta.name).toEqual([]);
    expect(check.hooks.length, r.meta.name).toBeGreaterThan(0);
    // Only the SDK: no require, import, process or timers.
    expect(r.code, r.meta.name).not.toMatch(/\brequire\(|\bimport\b|\bprocess\.|setTimeout|setInterval/);
  }
});

test('a broken recipe is reported and skipped; the others load', () => {
  const dir = recipeDir({
    good: { meta: meta('good'), code: 'async function setup(agent) {}' },
    bad: { meta: meta('Bad Name'), code: 'async function setup(agent) {}' },
    typo: { meta: meta('typo', { parameters: { n: { type: 'integer', description: 'n', default: 'x' } } }), code: '' },
  });
  const { recipes, errors } = loadRecipes(dir);
  expect(recipes.map((r) => r.meta.name)).toEqual(['good']);
  expect(errors.map((e) => e.error).join('\n')).toMatch(/name[\s\S]*default of n is not a integer/);
});

test('parameters: defaults filled, numbers from text, unknown and missing ones named', () => {
  const [recipe] = loadRecipes(recipeDir({ p: { meta: meta('p', { parameters: { hour: { type: 'integer', description: 'the hour', default: 21 }, city: { type: 'string', description: 'the city' }, mode: { type: 'string', description: 'm', default: 'a', enum: ['a', 'b'] } } }), code: 'async function setup(agent) {}' } })).recipes as [Recipe];
  expect(resolveParams(recipe, { city: 'Athens', hour: '7' })).toEqual({ hour: 7, city: 'Athens', mode: 'a' });
  expect(() => resolveParams(recipe, {})).toThrow('"city" is required: the city');
  expect(() => resolveParams(recipe, { city: 'x', hour: 7.5, color: 'red', mode: 'c' })).toThrow(/unknown parameter "color".*"hour" must be a integer.*"mode" must be one of "a", "b"/);
  expect(() => resolveParams(recipe, ['Athens'] as unknown as Record<string, unknown>)).toThrow('parameters must be an object');
  const config = renderRecipe(recipe, { name: 'athens-p', params: { city: 'Athens' } });
  expect(config.code).toMatch(/^const PARAMS = Object\.freeze\(\{"hour":21,"city":"Athens","mode":"a"\}\);\n/);
  expect(config.name).toBe('athens-p');
});

test('fuzzy names: exact, words, tags, typos; ties are ambiguous', () => {
  const items = [
    { name: 'weather-fetcher', title: 'Weather fetcher', tags: ['forecast'] },
    { name: 'camera-describer', title: 'Describe what the camera sees', tags: ['vision'] },
    { name: 'sensor-anomaly-detector', title: 'Sensor anomaly detector', tags: ['outlier'] },
    { name: 'door-sensor', title: 'Door sensor', tags: [] },
  ];
  const found = (q: string) => {
    const r = findRecipe(q, items);
    return 'found' in r ? r.found.name : 'ambiguous' in r ? r.ambiguous.map((i) => i.name) : null;
  };
  expect(found('weather-fetcher')).toBe('weather-fetcher');
  expect(found('the weather agent')).toBe('weather-fetcher');
  expect(found('describe what the camera sees')).toBe('camera-describer');
  expect(found('forecast')).toBe('weather-fetcher');
  expect(found('anomaly')).toBe('sensor-anomaly-detector');
  expect(found('wether')).toBe('weather-fetcher');
  expect(found('sensor')).toEqual(['sensor-anomaly-detector', 'door-sensor']);
  expect(found('telescope')).toBeNull();
});

test('requests as text or objects', () => {
  expect(parseRequest('spawn weather fetcher')).toEqual({ action: 'spawn', recipe: 'weather fetcher' });
  expect(parseRequest('list')).toEqual({ action: 'list' });
  expect(parseRequest({ action: 'spawn', recipe: 'reminders', name: 'kitchen-reminders', params: { max_reminders: 5 } })).toEqual({ action: 'spawn', recipe: 'reminders', name: 'kitchen-reminders', params: { max_reminders: 5 } });
  expect(parseRequest({ action: 'info', name: 'camera' })).toEqual({ action: 'info', recipe: 'camera' });
  for (const params of [['Athens'], 'Athens', 5]) expect(JSON.parse(JSON.stringify(parseRequest({ action: 'spawn', recipe: 'weather', params })))).toMatchObject({ error: expect.stringContaining('params must be an object') as unknown });
  expect(JSON.parse(JSON.stringify(parseRequest('dance')))).toMatchObject({ error: expect.stringContaining('"list", "info <recipe>", "spawn <recipe>" and "reload"') as unknown });
});

test('a recipe runs with only the scopes it declares', async () => {
  const dir = recipeDir({
    narrow: { meta: meta('narrow', { scopes: ['log', 'persist'] }), code: 'async function handleTask(agent) { agent.persist("k", 1); try { await agent.http.fetch("https://example.com"); return "fetched"; } catch (e) { return e.message; } }' },
  });
  env = await makeAgentsEnv({ recipesDir: dir });
  const spawned = await env.system.ask('catalog', { action: 'spawn', recipe: 'narrow' });
  expect(spawned).toMatchObject({ recipe: 'narrow', status: 'spawned' });
  expect(env.agents.spawner.meta.get('narrow')).toMatchObject({ origin: { by: 'catalog', recipe: 'narrow' }, scopes: ['log', 'persist'] });
  expect(await env.system.ask('narrow', {})).toMatch(/http/);
  expect(env.system.store.get('narrow', 'k')).toBe(1);
  // Restored with the same narrow grant.
  await env.restart();
  await env.agents.spawner.restoreAll();
  expect(await env.system.ask('narrow', {})).toMatch(/http/);
});

test('a spawn with bad parameters is answered with what is wrong, and the catalog keeps running', async () => {
  env = await makeAgentsEnv({ recipesDir: DEFAULT_RECIPES_DIR });
  const answer = JSON.parse(JSON.stringify(await env.system.ask('catalog', { action: 'spawn', recipe: 'reminders', params: { max_reminders: 'lots' } }))) as { error: string };
  expect(answer.error).toContain('"max_reminders" must be a integer');
  expect(env.system.get('catalog')?.state).toBe('running');
  expect(env.system.get('reminders')).toBeUndefined();
});

test('text requests (as typed in chat) get readable text; object requests get data', async () => {
  env = await makeAgentsEnv({ recipesDir: DEFAULT_RECIPES_DIR });
  const list = await env.system.ask<string>('catalog', 'list');
  expect(typeof list).toBe('string');
  expect(list).toMatch(/^\d+ recipes \(spawn one with "@catalog spawn <name>"/);
  expect(list).toContain('- **weather-fetcher**: ');
  const info = await env.system.ask<string>('catalog', 'info wether');
  expect(info).toMatch(/^\*\*weather-fetcher\*\* \(dynamic/);
  expect(info).toContain('Parameters:');
  expect(info).toMatch(/Needs: .*http/);
  const data = await env.system.ask<{ recipes: { name: string }[] }>('catalog', { action: 'list' });
  expect(data.recipes.map((r) => r.name)).toContain('weather-fetcher');
});
