// A catalog recipe: one folder holding recipe.json (what it is, its parameters with defaults, how
// it is spawned, the SDK scopes it needs) and agent.js (the agent code, written against the agent
// SDK only). The bundled ones come from recipes/, the owner's from a folder they can reach
// (library.ts); both are read here by the same code, with the same limits. A broken recipe is
// reported and skipped, the others still load.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';
import { AGENT_NAME_PATTERN } from '../spawn-config/agent-name.ts';
import { MAX_CODE_CHARS, MAX_POLL_SECONDS, MIN_POLL_SECONDS } from '../spawn-config/limits.ts';
import { SCOPES } from '../../sandbox/types.ts';

export const DEFAULT_RECIPES_DIR = fileURLToPath(new URL('../../../../recipes', import.meta.url));

/** recipe.json past this is not read: metadata, not a data file. */
export const MAX_RECIPE_JSON_BYTES = 64 * 1024;
/** agent.js past this is not read: the spawn limit on code (spawn-config/limits.ts). */
export const MAX_AGENT_JS_BYTES = MAX_CODE_CHARS;
/** Folders read from one recipes folder at most; the rest are reported, not loaded. */
export const MAX_RECIPES_PER_FOLDER = 100;

/**
 * What a recipe may declare: the ordinary SDK scopes, the same for bundled and owner recipes.
 * Sensitive access (`ha:sensitive...` grants) is never a scope: only the user grants it, at spawn.
 */
export const RECIPE_SCOPES = SCOPES;

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
    scopes: z.array(z.enum(RECIPE_SCOPES)).min(1),
    input_schema: z.record(z.string(), z.unknown()).optional(),
    output_schema: z.record(z.string(), z.unknown()).optional(),
    /** A task to try it with, shown by `info`. */
    example_task: z.unknown().optional(),
  })
  .strict();
export type RecipeMeta = z.infer<typeof RecipeMeta>;

/** bundled: shipped in the image (recipes/); owner: the owner's folder (library.ts). */
export type RecipeSource = 'bundled' | 'owner';

export interface Recipe {
  meta: RecipeMeta;
  code: string;
  dir: string;
  source: RecipeSource;
}

/** A recipe folder that did not load, and why (in words for the owner). */
export interface BrokenRecipe {
  /** The folder's name (its recipe.json may not say). */
  folder: string;
  dir: string;
  source: RecipeSource;
  error: string;
}

export interface LoadedRecipes {
  recipes: Recipe[];
  errors: BrokenRecipe[];
}

export interface LoadOptions {
  source?: RecipeSource;
  /** A missing folder is an empty one (the owner has written no recipe yet). */
  missingOk?: boolean;
}

export function loadRecipes(root: string = DEFAULT_RECIPES_DIR, options: LoadOptions = {}): LoadedRecipes {
  const source = options.source ?? 'bundled';
  const recipes: Recipe[] = [];
  const errors: BrokenRecipe[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root).sort();
  } catch (err) {
    if (options.missingOk && (err as NodeJS.ErrnoException).code === 'ENOENT') return { recipes, errors };
    return { recipes, errors: [{ folder: '', dir: root, source, error: `cannot read the recipes folder: ${(err as Error).message}` }] };
  }
  const folders = entries.filter((entry) => !entry.startsWith('.') && isFolder(join(root, entry)));
  for (const [index, entry] of folders.entries()) {
    const dir = join(root, entry);
    if (index >= MAX_RECIPES_PER_FOLDER) {
      errors.push({ folder: entry, dir, source, error: `not read: a recipes folder holds at most ${MAX_RECIPES_PER_FOLDER} recipes` });
      continue;
    }
    try {
      recipes.push(loadRecipe(dir, source));
    } catch (err) {
      errors.push({ folder: entry, dir, source, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const seen = new Set<string>();
  for (const r of [...recipes]) {
    if (seen.has(r.meta.name)) {
      errors.push({ folder: r.dir.slice(root.length + 1), dir: r.dir, source, error: `a recipe named ${r.meta.name} was already loaded from another folder` });
      recipes.splice(recipes.indexOf(r), 1);
    }
    seen.add(r.meta.name);
  }
  return { recipes, errors };
}

export function loadRecipe(dir: string, source: RecipeSource = 'bundled'): Recipe {
  const raw = parseJson(readLimited(dir, 'recipe.json', MAX_RECIPE_JSON_BYTES));
  const sensitive = sensitiveDeclaration(raw);
  if (sensitive) throw new Error(`recipe.json: ${sensitive}`);
  const parsed = RecipeMeta.safeParse(raw);
  if (!parsed.success) throw new Error(`recipe.json: ${z.prettifyError(parsed.error)}`);
  const code = readLimited(dir, 'agent.js', MAX_AGENT_JS_BYTES);
  for (const [key, p] of Object.entries(parsed.data.parameters)) {
    if (p.default !== undefined && !fitsType(p, p.default)) throw new Error(`recipe.json: the default of ${key} is not a ${p.type}`);
  }
  if (code.trim() === '') throw new Error('agent.js is empty');
  return { meta: parsed.data, code, dir, source };
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A regular file (never a link out of the folder), refused before reading when too large. */
function readLimited(dir: string, file: string, maxBytes: number): string {
  const path = join(dir, file);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    throw new Error(`${file} is missing`);
  }
  if (!stat.isFile()) throw new Error(`${file} is not a regular file (links are not followed)`);
  if (stat.size > maxBytes) throw new Error(`${file} is ${stat.size} bytes; at most ${maxBytes} are read`);
  const text = readFileSync(path, 'utf8');
  // It may have grown between the check and the read.
  if (Buffer.byteLength(text) > maxBytes) throw new Error(`${file} is larger than ${maxBytes} bytes`);
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`recipe.json is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** The schema would refuse these too; this says why, since an owner may expect them to work. */
function sensitiveDeclaration(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const scopes = Array.isArray(r.scopes) ? r.scopes : [];
  const asked = scopes.filter((s): s is string => typeof s === 'string' && s.startsWith('ha:sensitive'));
  if (asked.length || 'grants' in r) return `${asked.length ? asked.join(', ') : 'grants'}: a recipe cannot declare sensitive access (locks, alarms, garage doors); only the user grants it to a running agent`;
  return undefined;
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
