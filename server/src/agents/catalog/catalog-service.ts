// The catalog as a service for the orchestrator (`@recipe-name message` spawns the recipe before
// talking to it) and the HTTP API: the same recipes and the same spawn path as the catalog agent,
// without a message round trip. Structurally the orchestrator's `Catalog` (agents/main/parts.ts).
import type { AgentSpawner, SpawnOutcome } from '../spawner/agent-spawner.ts';
import type { SpawnConfig } from '../spawn-config/config-schema.ts';
import { findRecipe } from './fuzzy.ts';
import type { BrokenRecipe, Recipe, RecipeMeta, RecipeSource } from './recipe.ts';
import { renderRecipe, type RenderOptions } from './render.ts';

export interface CatalogService {
  recipes(): { name: string; description: string }[];
  /** Every recipe's metadata (parameters, scopes), for the panel's spawn form; never the code. */
  metas(): RecipeMeta[];
  /** Where a loaded recipe came from (bundled with the add-on, or the owner's folder); undefined: no such recipe. */
  sourceOf?(name: string): RecipeSource | undefined;
  /** The recipe folders that failed to load, with why (the panel lists them beside the form). */
  broken(): readonly BrokenRecipe[];
  /** Spawns a recipe (fuzzy name) with its default parameters unless given. */
  spawn(name: string, _origin?: unknown, options?: RenderOptions): Promise<SpawnOutcome>;
}

export function catalogService(recipes: () => readonly Recipe[], spawner: AgentSpawner, broken: () => readonly BrokenRecipe[] = () => []): CatalogService {
  return {
    broken,
    recipes: () => recipes().map((r) => ({ name: r.meta.name, description: r.meta.description })),
    metas: () => recipes().map((r) => r.meta),
    sourceOf: (name) => recipes().find((r) => r.meta.name === name)?.source,
    async spawn(name, _origin, options = {}) {
      const all = recipes();
      const hit = findRecipe(name, all.map((r) => ({ ...r, name: r.meta.name, title: r.meta.title, tags: r.meta.tags })));
      if ('none' in hit) throw new Error(`The catalog has no recipe named ${name}; it has ${all.map((r) => r.meta.name).join(', ') || 'none'}.`);
      if ('ambiguous' in hit) throw new Error(`"${name}" matches several recipes: ${hit.ambiguous.map((r) => r.name).join(', ')}.`);
      const recipe = hit.found;
      // Whoever asked, a recipe runs with the scopes it declares and nothing more.
      return spawner.spawn(renderRecipe(recipe, options) as SpawnConfig, { by: 'catalog', recipe: recipe.meta.name, scopes: recipe.meta.scopes });
    },
  };
}
