// A catalog recipe: one folder under recipes/ holding recipe.json (what it is, its parameters with
// defaults, how it is spawned, the SDK scopes it needs) and agent.js (the agent code, written
// against the agent SDK only). Loaded once at start; a broken recipe is reported and skipped, the
// others still load.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';
import { AGENT_NAME_PATTERN } from '../spawn-config/agent-name.ts';
import { MAX_POLL_SECONDS, MIN_POLL_SECONDS } from '../spawn-config/limits.ts';
import { SCOPES } from '../../sandbox/types.ts';

export const DEFAULT_RECIPES_DIR = fileURLToPath(new URL('../../../../recipes', import.meta.url));

const ParamValue = z.union([z.string(), z.number(), z.boolean()]);

export const RecipeParameter = z
  .object({
    type: z.enum(['string', 'number', 'integer', 'boolean']),
    description: z.string().min(1),
    /** Without a default the parameter must be given at spawn. */
    default: ParamValue.optional(),
    /** Allowed values, when only a few make sense. */
    enum: z.array(ParamValue).optional(),
  })
  .strict();
export type RecipeParameter = z.infer<typeof RecipeParameter>;

export const RecipeMeta = z
  .object({
    name: z.string().regex(AGENT_NAME_PATTERN, 'a slug such as sensor-anomaly-detector'),
    title: z.string().min(1),
    description: z.string().min(1),
    tags: z.array(z.string().min(1)).default([]),
    type: z.literal('dynamic'),
    poll_interval: z.number().min(MIN_POLL_SECONDS).max(MAX_POLL_SECONDS).optional(),
    parameters: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), RecipeParameter).default({}),
    /** Topics, with {param} placeholders (and {name}, the agent's name). */
    publishes: z.array(z.string()).default([]),
    subscribes: z.array(z.string()).default([]),
    scopes: z.array(z.enum(SCOPES)).min(1),
    input_schema: z.record(z.string(), z.unknown()).optional(),
    output_schema: z.record(z.string(), z.unknown()).optional(),
    /** A task to try it with, shown by `info`. */
    example_task: z.unknown().optional(),
  })
  .strict();
export type RecipeMeta = z.infer<typeof RecipeMeta>;

export interface Recipe {
  meta: RecipeMeta;
  code: string;
  dir: string;
}

export interface LoadedRecipes {
  recipes: Recipe[];
  errors: { dir: string; error: string }[];
}

export function loadRecipes(root: string = DEFAULT_RECIPES_DIR): LoadedRecipes {
  const recipes: Recipe[] = [];
  const errors: { dir: string; error: string }[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root).sort();
  } catch (err) {
    return { recipes, errors: [{ dir: root, error: `cannot read the recipes folder: ${(err as Error).message}` }] };
  }
  for (const entry of entries) {
    const dir = join(root, entry);
    if (!statSync(dir).isDirectory()) continue;
    try {
      recipes.push(loadRecipe(dir));
    } catch (err) {
      errors.push({ dir, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const seen = new Set<string>();
  for (const r of [...recipes]) {
    if (seen.has(r.meta.name)) {
      errors.push({ dir: r.dir, error: `a recipe named ${r.meta.name} was already loaded` });
      recipes.splice(recipes.indexOf(r), 1);
    }
    seen.add(r.meta.name);
  }
  return { recipes, errors };
}

export function loadRecipe(dir: string): Recipe {
  const parsed = RecipeMeta.safeParse(JSON.parse(readFileSync(join(dir, 'recipe.json'), 'utf8')));
  if (!parsed.success) throw new Error(`recipe.json: ${z.prettifyError(parsed.error)}`);
  const code = readFileSync(join(dir, 'agent.js'), 'utf8');
  for (const [key, p] of Object.entries(parsed.data.parameters)) {
    if (p.default !== undefined && !fitsType(p, p.default)) throw new Error(`recipe.json: the default of ${key} is not a ${p.type}`);
  }
  return { meta: parsed.data, code, dir };
}

export function fitsType(p: RecipeParameter, value: unknown): boolean {
  switch (p.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}
