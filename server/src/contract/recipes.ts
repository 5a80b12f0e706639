// The recipe catalogue as the panel's "New agent from a recipe" dialog sees it: what each recipe
// does and the parameters its form asks for. Spawning takes the body the companion integration
// already sends (one request shape for every caller of the catalog's spawn path).
import { z } from 'zod';

import { RecipeSpawnRequest, RecipeSpawnResponse } from './integration.ts';

export { RecipeSpawnRequest, RecipeSpawnResponse };
export type RecipeSpawnRequest = z.infer<typeof RecipeSpawnRequest>;

const ParamValue = z.union([z.string(), z.number(), z.boolean()]);

export const RecipeParameterInfo = z.object({
  type: z.enum(['string', 'number', 'integer', 'boolean']),
  description: z.string(),
  default: ParamValue.optional(),
  /** The only values allowed, when the recipe names them. */
  enum: z.array(ParamValue).optional(),
  /** No default: the form must give a value. */
  required: z.boolean(),
});
export type RecipeParameterInfo = z.infer<typeof RecipeParameterInfo>;

export const RecipeInfo = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  parameters: z.record(z.string(), RecipeParameterInfo),
  /** The SDK scopes the recipe runs with, shown before spawning it. */
  scopes: z.array(z.string()),
  /** bundled: shipped with the add-on; owner: from the owner's recipes folder. */
  source: z.enum(['bundled', 'owner']).optional(),
});
export type RecipeInfo = z.infer<typeof RecipeInfo>;

/** A recipe folder that failed the catalog's checks at load: not spawnable until fixed and reloaded. */
export const BrokenRecipeInfo = z.object({
  /** The folder's name (its recipe.json may be what is broken). */
  name: z.string(),
  /** bundled: shipped with the add-on; owner: from the owner's recipes folder. */
  source: z.enum(['bundled', 'owner']),
  /** The catalog's own words, e.g. a schema error or a refused scope. */
  reason: z.string(),
});
export type BrokenRecipeInfo = z.infer<typeof BrokenRecipeInfo>;

/** GET /api/recipes/broken. GET /api/recipes stays the plain list the spawn form and the integration read. */
export const BrokenRecipes = z.object({ broken: z.array(BrokenRecipeInfo) });
export type BrokenRecipes = z.infer<typeof BrokenRecipes>;
