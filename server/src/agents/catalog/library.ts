// The recipes the catalog offers: the bundled ones (recipes/ in the image) and the owner's own, from
// a folder the owner can reach (`ownerRecipesDir`). Wherever a recipe comes from it passes the same
// checks: the size limits and recipe.json's schema (recipe.ts; the scopes any recipe may declare),
// then the spawn config it renders to and its code, linted and compiled in a scratch isolate that
// never runs it (checkRecipe: at load for the owner's, in CI for the bundled ones). A broken recipe is kept with its reason, for the log and the
// catalog's list, and the others load. A bundled name is never taken over: the owner's recipe of
// that name is refused. reload() re-reads both folders; agents already running keep the config
// they were spawned with (it is stored whole) until they are respawned.
import { basename, join } from 'node:path';
import type { LogSink } from '../../core/system.ts';
import { checkAgentCode, formatIssue } from '../../sandbox/validate.ts';
import { validateSpawnConfig } from '../spawn-config/validate.ts';
import { DEFAULT_RECIPES_DIR, loadRecipes, type BrokenRecipe, type Recipe, type RecipeParameter } from './recipe.ts';
import { renderRecipe } from './render.ts';

/** Where the add-on reads owner recipes: `share:ro` in config.yaml, readable in apparmor.txt. */
export const ADDON_OWNER_RECIPES_DIR = '/share/wactorz/recipes';

/** The owner's recipes folder: /share/wactorz/recipes in the add-on, <data dir>/recipes otherwise. */
export function ownerRecipesDir(config: { inAddon: boolean; dataDir: string }): string {
  return config.inAddon ? ADDON_OWNER_RECIPES_DIR : join(config.dataDir, 'recipes');
}

export interface RecipeLibraryOptions {
  /** Default: the repository's recipes/. */
  bundledDir?: string;
  /** The owner's folder; undefined or null: bundled recipes only. A missing folder is an empty one. */
  ownerDir?: string | null;
  logger?: LogSink | undefined;
}

/** What a (re)load found, compared with what was loaded before. */
export interface RecipesReport {
  loaded: number;
  added: string[];
  changed: string[];
  removed: string[];
  broken: BrokenRecipe[];
}

export class RecipeLibrary {
  readonly #options: RecipeLibraryOptions;
  #recipes: readonly Recipe[] = [];
  #broken: readonly BrokenRecipe[] = [];
  #loading: Promise<unknown> = Promise.resolve();

  constructor(options: RecipeLibraryOptions = {}) {
    this.#options = options;
  }

  get ownerDir(): string | undefined {
    return this.#options.ownerDir ?? undefined;
  }

  recipes(): readonly Recipe[] {
    return this.#recipes;
  }

  broken(): readonly BrokenRecipe[] {
    return this.#broken;
  }

  /** Reads both folders; a load asked for while one runs starts after it (never two at once). */
  load(): Promise<RecipesReport> {
    const run = this.#loading.then(() => this.#load());
    this.#loading = run.catch(() => undefined);
    return run;
  }

  async #load(): Promise<RecipesReport> {
    const { bundledDir = DEFAULT_RECIPES_DIR, ownerDir, logger } = this.#options;
    const bundled = loadRecipes(bundledDir, { source: 'bundled' });
    const owner = ownerDir ? loadRecipes(ownerDir, { source: 'owner', missingOk: true }) : { recipes: [], errors: [] };
    const broken: BrokenRecipe[] = [...bundled.errors, ...owner.errors];
    const bundledNames = new Set(bundled.recipes.map((r) => r.meta.name));
    const candidates = [...bundled.recipes];
    for (const r of owner.recipes) {
      if (bundledNames.has(r.meta.name)) broken.push(brokenFrom(r, `a bundled recipe is already named ${r.meta.name}; the bundled one is kept. Rename yours (its "name" in recipe.json).`));
      else candidates.push(r);
    }
    const recipes: Recipe[] = [];
    for (const r of candidates) {
      // Bundled recipes ship with the image and pass checkRecipe in CI (tests/unit/agents/catalog/
      // bundled-recipes.test.ts); compiling them again at every start would cost each start a
      // scratch isolate, its thread and some MB of memory that the idle server keeps.
      const problem = r.source === 'owner' ? await checkRecipe(r) : undefined;
      if (problem) broken.push(brokenFrom(r, problem));
      else recipes.push(r);
    }
    const report = compare(this.#recipes, recipes, broken);
    this.#recipes = recipes;
    this.#broken = broken;
    for (const b of broken) logger?.warn({ dir: b.dir, source: b.source, error: b.error }, 'recipe not loaded');
    logger?.info({ loaded: recipes.length, owner: recipes.filter((r) => r.source === 'owner').length, broken: broken.length, ownerDir }, 'recipes loaded');
    return report;
  }
}

/**
 * The checks a spawn of the recipe would make, done at load so a broken recipe is known before
 * anyone asks for it: the rendered spawn config (topics, description, poll interval) and the code
 * as it will run (PARAMS line included), parsed in an isolate without running it.
 */
export async function checkRecipe(recipe: Recipe): Promise<string | undefined> {
  let rendered;
  try {
    rendered = renderRecipe(recipe, { params: sampleParams(recipe) });
  } catch (err) {
    return (err as Error).message;
  }
  const spawn = validateSpawnConfig(rendered);
  if (!spawn.ok) return spawn.error;
  const check = await checkAgentCode(rendered.code);
  // Line numbers as in agent.js: the rendered code has the PARAMS line in front.
  if (!check.ok) return `agent.js: ${check.errors.map((e) => formatIssue(e.line === undefined ? e : { ...e, line: Math.max(1, e.line - 1) })).join('; ')}`;
  return undefined;
}

/** Defaults, and for a parameter that must be given, a value of its type (or its first allowed one). */
function sampleParams(recipe: Recipe): Record<string, unknown> {
  const sample = (p: RecipeParameter): unknown => p.default ?? p.enum?.[0] ?? (p.type === 'string' ? 'example' : p.type === 'boolean' ? false : 1);
  return Object.fromEntries(Object.entries(recipe.meta.parameters).map(([key, p]) => [key, sample(p)]));
}

function brokenFrom(r: Recipe, error: string): BrokenRecipe {
  return { folder: basename(r.dir), dir: r.dir, source: r.source, error };
}

function compare(before: readonly Recipe[], after: readonly Recipe[], broken: BrokenRecipe[]): RecipesReport {
  const old = new Map(before.map((r) => [r.meta.name, r]));
  const now = new Set(after.map((r) => r.meta.name));
  const added: string[] = [];
  const changed: string[] = [];
  for (const r of after) {
    const prev = old.get(r.meta.name);
    if (!prev) added.push(r.meta.name);
    else if (prev.code !== r.code || JSON.stringify(prev.meta) !== JSON.stringify(r.meta)) changed.push(r.meta.name);
  }
  const removed = before.map((r) => r.meta.name).filter((name) => !now.has(name));
  return { loaded: after.length, added, changed, removed, broken };
}
