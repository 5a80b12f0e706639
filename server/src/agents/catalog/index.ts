// The catalog: pre-built recipes (recipes/<name>/recipe.json + agent.js) spawned by name.
export { CatalogAgent, CATALOG_NAME, parseRequest, type CatalogRequest } from './catalog-agent.ts';
export { loadRecipes, loadRecipe, DEFAULT_RECIPES_DIR, RecipeMeta, type Recipe, type LoadedRecipes } from './recipe.ts';
export { renderRecipe, resolveParams, RecipeError } from './render.ts';
export { findRecipe } from './fuzzy.ts';
export { catalogService, type CatalogService } from './catalog-service.ts';
