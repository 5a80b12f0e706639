// The owner's own recipes: loaded from a folder beside the bundled ones through the same checks
// (size limits, recipe.json schema and scopes, the rendered spawn config, the code compiled in an
// isolate), a broken one reported with its reason without stopping the others, a bundled name
// never taken over, and `reload` picking up changes while running agents keep what they run.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ADDON_OWNER_RECIPES_DIR, RecipeLibrary, ownerRecipesDir } from '../../../../server/src/agents/catalog/library.ts';
import { DEFAULT_RECIPES_DIR, MAX_AGENT_JS_BYTES, MAX_RECIPE_JSON_BYTES } from '../../../../server/src/agents/catalog/recipe.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';
import { makeAgentsEnv, type AgentsEnv } from '../spawner/fixtures.ts';

const temps: { cleanup: () => void }[] = [];
let env: AgentsEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
  for (const t of temps.splice(0)) t.cleanup();
});

function folder(): string {
  const dir = makeTempDir('wactorz-owner-recipes-');
  temps.push(dir);
  return dir.path;
}

/** Writes one recipe folder; `meta` as an object is JSON-encoded, a string is written as it is. */
function writeRecipe(root: string, folderName: string, meta: Record<string, unknown> | string, code: string): void {
  mkdirSync(join(root, folderName), { recursive: true });
  writeFileSync(join(root, folderName, 'recipe.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
  writeFileSync(join(root, folderName, 'agent.js'), code);
}

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, title: `The ${name}`, description: `the ${name} recipe`, type: 'dynamic', scopes: ['log', 'persist'], ...extra });
const GREETER = 'async function handleTask(agent, payload) { return PARAMS.greeting + ", " + ((payload && payload.who) || "world"); }';
const greeter = (name = 'greeter', greeting = 'hello') => meta(name, { parameters: { greeting: { type: 'string', description: 'what to say', default: greeting } } });

describe('loading', () => {
  test('a good owner recipe loads beside the bundled ones, marked as the owner\'s', async () => {
    const owner = folder();
    writeRecipe(owner, 'greeter', greeter(), GREETER);
    const library = new RecipeLibrary({ ownerDir: owner });
    const report = await library.load();
    expect(library.broken()).toEqual([]);
    expect(library.recipes().find((r) => r.meta.name === 'greeter')).toMatchObject({ source: 'owner', dir: join(owner, 'greeter') });
    expect(library.recipes().find((r) => r.meta.name === 'weather-fetcher')).toMatchObject({ source: 'bundled' });
    expect(report.added).toContain('greeter');
  });

  test('each broken recipe is reported with its reason and the others still load', async () => {
    const owner = folder();
    const bundled = folder();
    writeRecipe(owner, 'greeter', greeter(), GREETER);
    writeRecipe(owner, 'bad-json', '{"name": "bad-json", "title": ', GREETER);
    writeRecipe(owner, 'python', meta('python'), 'def setup(agent):\n    agent.log("hi")\n');
    writeRecipe(owner, 'syntax', meta('syntax'), 'async function setup(agent) {\n  await agent.log("a";\n}\n');
    writeRecipe(owner, 'no-hook', meta('no-hook'), 'const x = 1;\n');
    writeRecipe(owner, 'bad-topic', meta('bad-topic', { publishes: ['custom/#'] }), GREETER);
    writeRecipe(owner, 'no-code', meta('no-code'), '');
    mkdirSync(join(owner, 'empty'));
    const library = new RecipeLibrary({ bundledDir: bundled, ownerDir: owner });
    await library.load();
    expect(library.recipes().map((r) => r.meta.name)).toEqual(['greeter']);
    const why = Object.fromEntries(library.broken().map((b) => [b.folder, b.error]));
    expect(Object.keys(why).sort()).toEqual(['bad-json', 'bad-topic', 'empty', 'no-code', 'no-hook', 'python', 'syntax']);
    expect(why['bad-json']).toMatch(/^recipe\.json is not valid JSON/);
    expect(why.python).toMatch(/^agent\.js: line 1, .*Python/);
    // The line as in agent.js, not in the rendered code with its PARAMS line in front.
    expect(why.syntax).toMatch(/^agent\.js: line 2, .*SyntaxError/);
    expect(why['no-hook']).toMatch(/no hook found/);
    expect(why['bad-topic']).toMatch(/publishes/);
    expect(why['no-code']).toBe('agent.js is empty');
    expect(why.empty).toBe('recipe.json is missing');
    for (const b of library.broken()) expect(b).toMatchObject({ source: 'owner', dir: join(owner, b.folder) });
  });

  test('a bundled name is refused to an owner recipe: the bundled one is kept', async () => {
    const owner = folder();
    writeRecipe(owner, 'my-reminders', meta('reminders'), GREETER);
    const library = new RecipeLibrary({ ownerDir: owner });
    await library.load();
    expect(library.recipes().filter((r) => r.meta.name === 'reminders').map((r) => r.source)).toEqual(['bundled']);
    expect(library.broken()).toEqual([{ folder: 'my-reminders', dir: join(owner, 'my-reminders'), source: 'owner', error: expect.stringMatching(/a bundled recipe is already named reminders; the bundled one is kept\. Rename yours/) as unknown }]);
  });

  test('files past the size limits are not read', async () => {
    const owner = folder();
    writeRecipe(owner, 'big-code', meta('big-code'), `${GREETER}\n// ${'x'.repeat(MAX_AGENT_JS_BYTES)}\n`);
    writeRecipe(owner, 'big-meta', meta('big-meta', { description: 'y'.repeat(MAX_RECIPE_JSON_BYTES) }), GREETER);
    const library = new RecipeLibrary({ bundledDir: folder(), ownerDir: owner });
    await library.load();
    expect(library.recipes()).toEqual([]);
    const why = Object.fromEntries(library.broken().map((b) => [b.folder, b.error]));
    expect(why['big-code']).toMatch(new RegExp(`^agent\\.js is \\d+ bytes; at most ${MAX_AGENT_JS_BYTES} are read$`));
    expect(why['big-meta']).toMatch(new RegExp(`^recipe\\.json is \\d+ bytes; at most ${MAX_RECIPE_JSON_BYTES} are read$`));
  });

  test('links are not followed: a recipe cannot point at files elsewhere', async () => {
    const owner = folder();
    const elsewhere = folder();
    writeRecipe(elsewhere, 'greeter', greeter(), GREETER);
    mkdirSync(join(owner, 'linked'));
    writeFileSync(join(owner, 'linked', 'recipe.json'), JSON.stringify(greeter('linked')));
    symlinkSync(join(elsewhere, 'greeter', 'agent.js'), join(owner, 'linked', 'agent.js'));
    symlinkSync(join(elsewhere, 'greeter'), join(owner, 'folder-link'));
    const library = new RecipeLibrary({ bundledDir: folder(), ownerDir: owner });
    await library.load();
    expect(library.recipes()).toEqual([]);
    expect(library.broken().map((b) => [b.folder, b.error])).toEqual([['linked', 'agent.js is not a regular file (links are not followed)']]);
  });

  test('an owner recipe declares only the scopes a bundled one may: no sensitive access, no grants', async () => {
    const owner = folder();
    writeRecipe(owner, 'lock-opener', meta('lock-opener', { scopes: ['log', 'ha:write', 'ha:sensitive:lock.front_door'] }), GREETER);
    writeRecipe(owner, 'granted', meta('granted', { grants: ['ha:sensitive'] }), GREETER);
    writeRecipe(owner, 'root', meta('root', { scopes: ['log', 'admin'] }), GREETER);
    writeRecipe(owner, 'writer', meta('writer', { scopes: ['log', 'ha:read', 'ha:write', 'http'] }), GREETER);
    const library = new RecipeLibrary({ bundledDir: folder(), ownerDir: owner });
    await library.load();
    expect(library.recipes().map((r) => r.meta.name)).toEqual(['writer']);
    const why = Object.fromEntries(library.broken().map((b) => [b.folder, b.error]));
    expect(why['lock-opener']).toMatch(/ha:sensitive:lock\.front_door: a recipe cannot declare sensitive access .*only the user grants it/);
    expect(why.granted).toMatch(/grants: a recipe cannot declare sensitive access/);
    expect(why.root).toMatch(/^recipe\.json: .*scopes/s);
  });

  test('no owner folder yet is an empty one; the folder is /share/wactorz/recipes in the add-on, <data dir>/recipes otherwise', async () => {
    const library = new RecipeLibrary({ ownerDir: join(folder(), 'absent') });
    await library.load();
    expect(library.broken()).toEqual([]);
    expect(library.recipes().length).toBeGreaterThanOrEqual(5);
    expect(ownerRecipesDir({ inAddon: true, dataDir: '/data' })).toBe(ADDON_OWNER_RECIPES_DIR);
    expect(ADDON_OWNER_RECIPES_DIR).toBe('/share/wactorz/recipes');
    expect(ownerRecipesDir({ inAddon: false, dataDir: '/srv/wactorz' })).toBe('/srv/wactorz/recipes');
  });
});

describe('through the catalog agent', () => {
  test('an owner recipe spawns and answers a task; list marks it as the owner\'s and names the broken ones', async () => {
    const owner = folder();
    writeRecipe(owner, 'greeter', greeter(), GREETER);
    writeRecipe(owner, 'broken-one', '{ not json', GREETER);
    env = await makeAgentsEnv({ recipesDir: DEFAULT_RECIPES_DIR, ownerRecipesDir: owner });
    const list = await env.system.ask<string>('catalog', 'list');
    expect(list).toContain('- **greeter** (yours): The greeter.');
    expect(list).toContain('- **weather-fetcher**: ');
    expect(list).toMatch(/Broken, not loaded \(1\):\n- \*\*broken-one\*\* \(yours, .*broken-one\): recipe\.json is not valid JSON/);
    const data = await env.system.ask<{ recipes: { name: string; source: string }[]; broken: { folder: string }[] }>('catalog', { action: 'list' });
    expect(data.recipes.find((r) => r.name === 'greeter')?.source).toBe('owner');
    expect(data.broken.map((b) => b.folder)).toEqual(['broken-one']);
    expect(await env.system.ask('catalog', { action: 'spawn', recipe: 'greeter', params: { greeting: 'hi' } })).toMatchObject({ recipe: 'greeter', status: 'spawned' });
    expect(env.agents.spawner.meta.get('greeter')).toMatchObject({ origin: { by: 'catalog', recipe: 'greeter' }, scopes: ['log', 'persist'] });
    expect(await env.system.ask('greeter', { who: 'Ana' })).toBe('hi, Ana');
    expect(JSON.parse(JSON.stringify(await env.system.ask('catalog', 'spawn broken-one')))).toMatchObject({ error: expect.stringContaining('is broken: recipe.json is not valid JSON') as unknown });
    // The API and the orchestrator see the same recipes.
    expect(env.agents.catalog.recipes().map((r) => r.name)).toContain('greeter');
  });

  test('reload picks up a new recipe and a changed one; the running agent keeps its version until respawned', async () => {
    const owner = folder();
    writeRecipe(owner, 'greeter', greeter(), GREETER);
    env = await makeAgentsEnv({ recipesDir: folder(), ownerRecipesDir: owner });
    await env.system.ask('catalog', { action: 'spawn', recipe: 'greeter' });
    expect(await env.system.ask('greeter', {})).toBe('hello, world');

    writeRecipe(owner, 'greeter', greeter('greeter', 'good evening'), GREETER);
    writeRecipe(owner, 'echo', meta('echo'), 'async function handleTask(agent, payload) { return payload; }');
    writeRecipe(owner, 'oops', meta('oops'), 'async function setup(agent) {');
    const text = await env.system.ask<string>('catalog', 'reload');
    expect(text).toMatch(new RegExp(`^Reloaded: 2 recipes \\(yours from ${owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\); added echo; changed greeter\\.`));
    expect(text).toMatch(/- \*\*oops\*\* \(yours, .*\): agent\.js: .*SyntaxError/);
    expect(text).toContain('keep running as they were spawned; respawn one (spawn with replace) to run the new version.');

    expect(await env.system.ask('greeter', {})).toBe('hello, world');
    expect(await env.system.ask('catalog', { action: 'spawn', recipe: 'echo' })).toMatchObject({ status: 'spawned' });
    expect(await env.system.ask('echo', { n: 1 })).toEqual({ n: 1 });
    expect(await env.system.ask('catalog', { action: 'spawn', recipe: 'greeter', replace: true })).toMatchObject({ status: expect.stringMatching(/^(spawned|replaced)$/) as unknown });
    expect(await env.system.ask('greeter', {})).toBe('good evening, world');

    const report = await env.system.ask<{ loaded: number; added: string[]; changed: string[]; removed: string[]; note: string }>('catalog', { action: 'reload' });
    expect(report).toMatchObject({ loaded: 2, added: [], changed: [], removed: [] });
  });
});
