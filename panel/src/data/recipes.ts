// Recipes: the catalogue (fixed while the server runs, so fetched, not a live collection) and
// spawning one. The new agent reaches the Agents list through its live events; the list is also
// refreshed here so it shows even if the event came before the list loaded.
import { agentsCollection } from './agents.ts';
import { apiGet, apiPost, seg } from './api.ts';
import type { BrokenRecipeInfo, BrokenRecipes, RecipeInfo, RecipeSpawnRequest, RecipeSpawnResponse } from './types.ts';

export function fetchRecipes(signal?: AbortSignal): Promise<RecipeInfo[]> {
  return apiGet<RecipeInfo[]>('api/recipes', signal);
}

/** The recipe folders that failed to load, with the catalog's reason (fixed, then `@catalog reload`). */
export async function fetchBrokenRecipes(signal?: AbortSignal): Promise<BrokenRecipeInfo[]> {
  return (await apiGet<BrokenRecipes>('api/recipes/broken', signal)).broken;
}

export async function spawnRecipe(recipe: string, request: RecipeSpawnRequest): Promise<RecipeSpawnResponse> {
  const result = await apiPost<RecipeSpawnResponse>(`api/recipes/${seg(recipe)}/spawn`, request);
  void agentsCollection.refresh();
  return result;
}
