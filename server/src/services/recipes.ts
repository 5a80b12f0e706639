// RecipesService for the API: the catalogue as the panel's spawn form needs it, and a spawn through
// the catalog's own service (catalogService: the recipe rendered with the catalog's parameter checks,
// then the AgentSpawner with origin {by: 'catalog'}, so it runs with the scopes it declares), the
// path the catalog agent takes for MCP's spawn_recipe and the companion integration, without the
// chat turn they go through (which would leave a conversation in the Chat list for every spawn).
import type { RecipeMeta, RecipeSource } from '../agents/catalog/recipe.ts';
import { RecipeError } from '../agents/catalog/render.ts';
import type { CatalogService } from '../agents/catalog/catalog-service.ts';
import { SpawnError } from '../agents/spawner/agent-spawner.ts';
import type { RecipeInfo } from '../contract/recipes.ts';
import { ServiceError } from '../contract/service-error.ts';
import type { RecipesService } from '../contract/services.ts';

export function recipeInfo(meta: RecipeMeta, source?: RecipeSource): RecipeInfo {
  return {
    ...(source ? { source } : {}),
    name: meta.name,
    title: meta.title,
    description: meta.description,
    tags: meta.tags,
    parameters: Object.fromEntries(
      Object.entries(meta.parameters).map(([key, p]) => [
        key,
        { type: p.type, description: p.description, ...(p.default !== undefined ? { default: p.default } : {}), ...(p.enum ? { enum: p.enum } : {}), required: p.default === undefined },
      ]),
    ),
    scopes: meta.scopes,
  };
}

export function createRecipesService(catalog: Pick<CatalogService, 'metas' | 'spawn' | 'sourceOf'> & Partial<Pick<CatalogService, 'broken'>>): RecipesService {
  return {
    async broken() {
      return (catalog.broken?.() ?? []).map((b) => ({ name: b.folder || b.dir, source: b.source, reason: b.error }));
    },
    async list() {
      return catalog.metas().map((m) => recipeInfo(m, catalog.sourceOf?.(m.name)));
    },
    async spawn(recipe, request, ctx) {
      // The exact name: the form picked it from the list, so the catalog's fuzzy match would only surprise.
      if (!catalog.metas().some((m) => m.name === recipe)) throw new ServiceError('not_found', `No recipe named "${recipe}"`);
      try {
        const outcome = await catalog.spawn(recipe, ctx.identity, { ...(request.name ? { name: request.name } : {}), ...(request.params ? { params: request.params } : {}) });
        const reply = outcome.status === 'reused' ? `An agent named ${outcome.name} already runs; it was kept as it is.` : `Spawned ${outcome.name} from ${recipe}.${outcome.warnings.length ? ` ${outcome.warnings.join(' ')}` : ''}`;
        return { recipe, agent: outcome.name, status: outcome.status, reply };
      } catch (err) {
        // The catalog's and the spawner's refusals are worded for the user (a parameter, the name).
        if (err instanceof RecipeError || err instanceof SpawnError) throw new ServiceError('invalid', err.message);
        throw err;
      }
    },
  };
}
