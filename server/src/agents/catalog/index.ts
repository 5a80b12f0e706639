// The catalog: pre-built recipes (recipes/<name>/recipe.json + agent.js, and the owner's own) spawned by name.
export { CatalogAgent, CATALOG_NAME, parseRequest, type CatalogRequest, type CatalogRecipes } from './catalog-agent.ts';
export { loadRecipes, loadRecipe, DEFAULT_RECIPES_DIR, RecipeMeta, RECIPE_SCOPES, MAX_RECIPE_JSON_BYTES, MAX_AGENT_JS_BYTES, type Recipe, type BrokenRecipe, type RecipeSource, type LoadedRecipes } from './recipe.ts';
export { RecipeLibrary, checkRecipe, ownerRecipesDir, ADDON_OWNER_RECIPES_DIR, type RecipesReport } from './library.ts';
export { renderRecipe, resolveParams, RecipeError } from './render.ts';
export { findRecipe } from './fuzzy.ts';
export { catalogService, type CatalogService } from './catalog-service.ts';
