// /api/recipes: the catalogue with each recipe's parameters, and spawning one (the panel's "New
// agent from a recipe"), and the recipes that failed to load with why. Refusals come back as 400 with
// the catalog's own words.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { BrokenRecipes, RecipeInfo, RecipeSpawnRequest, RecipeSpawnResponse } from '../../contract/recipes.ts';
import type { RecipesService } from '../../contract/services.ts';
import { jsonSchema } from '../schema.ts';
import { contextOf, need, responses } from './support.ts';

const RecipeParams = z.object({ recipe: z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9-]*$/) });

export const recipeRoutes: FastifyPluginAsync<{ service: RecipesService | undefined }> = async (app, { service }) => {
  app.get('/api/recipes', { schema: { response: responses(z.array(RecipeInfo)) } }, async () => need(service, 'The recipe catalogue').list());
  app.get('/api/recipes/broken', { schema: { response: responses(BrokenRecipes) } }, async () => ({ broken: await need(service, 'The recipe catalogue').broken() }));

  app.post<{ Params: z.infer<typeof RecipeParams>; Body: z.infer<typeof RecipeSpawnRequest> }>(
    '/api/recipes/:recipe/spawn',
    { bodyLimit: 16 * 1024, schema: { params: jsonSchema(RecipeParams), body: jsonSchema(RecipeSpawnRequest), response: responses(RecipeSpawnResponse) } },
    async (req, reply) => need(service, 'The recipe catalogue').spawn(req.params.recipe, req.body, contextOf(req, reply)),
  );
};
