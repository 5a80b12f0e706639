// A recipe plus the user's parameters -> a spawn config. Parameters reach the code as a frozen
// `PARAMS` object prepended as a JSON literal (data, never code: no template is spliced into the
// agent's source), so the stored config is self-contained and restores without the catalog.
import type { z } from 'zod';
import type { DynamicSpawn } from '../spawn-config/config-schema.ts';
import { fitsType, type Recipe } from './recipe.ts';

export interface RenderOptions {
  /** The agent's name (default: the recipe's), to run several instances of one recipe. */
  name?: string;
  params?: Record<string, unknown>;
  replace?: boolean;
}

export class RecipeError extends Error {
  override readonly name = 'RecipeError';
}

/** Parameter values with defaults filled in; throws naming every missing or ill-typed one. */
export function resolveParams(recipe: Recipe, given: Record<string, unknown> = {}): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const problems: string[] = [];
  const spec = recipe.meta.parameters;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new RecipeError(`${recipe.meta.name}: parameters must be an object of names to values, like {"city": "Athens"}`);
  for (const key of Object.keys(given)) if (!(key in spec)) problems.push(`unknown parameter "${key}" (known: ${Object.keys(spec).join(', ') || 'none'})`);
  for (const [key, p] of Object.entries(spec)) {
    let value = given[key] ?? p.default;
    if (value === undefined) {
      problems.push(`"${key}" is required: ${p.description}`);
      continue;
    }
    // Chat and the API often hand numbers over as text.
    if ((p.type === 'number' || p.type === 'integer') && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) value = Number(value);
    if (p.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value)) value = value.toLowerCase() === 'true';
    if (!fitsType(p, value)) {
      problems.push(`"${key}" must be a ${p.type}, got ${JSON.stringify(value)}`);
      continue;
    }
    if (p.enum && !p.enum.includes(value as string | number | boolean)) {
      problems.push(`"${key}" must be one of ${p.enum.map((v) => JSON.stringify(v)).join(', ')}`);
      continue;
    }
    out[key] = value as string | number | boolean;
  }
  if (problems.length) throw new RecipeError(`${recipe.meta.name}: ${problems.join('; ')}`);
  return out;
}

export function renderRecipe(recipe: Recipe, options: RenderOptions = {}): z.input<typeof DynamicSpawn> {
  const { meta } = recipe;
  const name = options.name ?? meta.name;
  const params = resolveParams(recipe, options.params);
  const fill = (topic: string) => topic.replace(/\{([a-z][a-z0-9_]*)\}/g, (m, key: string) => (key === 'name' ? name : key in params ? String(params[key]) : m));
  return {
    name,
    type: 'dynamic',
    description: meta.description,
    code: `const PARAMS = Object.freeze(${JSON.stringify(params)});\n${recipe.code}`,
    ...(meta.poll_interval !== undefined ? { poll_interval: meta.poll_interval } : {}),
    publishes: meta.publishes.map(fill),
    subscribes: meta.subscribes.map(fill),
    capabilities: meta.tags,
    ...(meta.input_schema ? { input_schema: meta.input_schema } : {}),
    ...(meta.output_schema ? { output_schema: meta.output_schema } : {}),
    replace: options.replace ?? false,
  };
}
