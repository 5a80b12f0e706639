// The catalog agent: pre-built recipes that spawn without the LLM writing code. Tasks:
//   {action: "list"}                                   every recipe, with its parameters
//   {action: "info", recipe: "anomaly"}                one recipe's metadata (not its code)
//   {action: "spawn", recipe: "weather", params: {...}, name?: "...", replace?: true}
//   {action: "reload"}                                 re-reads the bundled and the owner's recipes
// or the same as text ("list", "info weather", "spawn camera describer", "reload"). Names are matched
// fuzzily; an ambiguous name lists the candidates. Spawned recipes go through the spawner like any
// agent (saved in the spawn registry, restored at start) with only the scopes the recipe declares.
import { Actor } from '../../core/actor.ts';
import type { Message, TaskMessage } from '../../core/messages.ts';
import type { AgentSpawner, SpawnOutcome } from '../spawner/agent-spawner.ts';
import type { SpawnConfig } from '../spawn-config/config-schema.ts';
import { TaskFailed, unwrapTask } from '../dynamic/agent-task.ts';
import { findRecipe } from './fuzzy.ts';
import type { RecipeLibrary, RecipesReport } from './library.ts';
import type { BrokenRecipe, Recipe } from './recipe.ts';
import { renderRecipe } from './render.ts';

export const CATALOG_NAME = 'catalog';

export interface CatalogRequest {
  action: 'list' | 'info' | 'spawn' | 'reload';
  recipe?: string;
  params?: Record<string, unknown>;
  name?: string;
  replace?: boolean;
}

/** What the catalog reads its recipes from (library.ts). */
export type CatalogRecipes = Pick<RecipeLibrary, 'recipes' | 'broken' | 'load' | 'ownerDir'>;

export class CatalogAgent extends Actor {
  readonly #library: CatalogRecipes;
  readonly #spawner: AgentSpawner;

  constructor(library: CatalogRecipes, spawner: AgentSpawner) {
    super({ name: CATALOG_NAME, id: CATALOG_NAME, kind: 'catalog', protected: true });
    this.#library = library;
    this.#spawner = spawner;
  }

  get recipes(): readonly Recipe[] {
    return this.#library.recipes();
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        return this.#task(msg);
      case 'result':
      case 'error':
      case 'command':
      case 'event':
      case 'heartbeat':
        return undefined;
    }
  }

  #task(msg: TaskMessage): unknown {
    const raw = unwrapTask(msg.payload).payload;
    const request = parseRequest(raw);
    if (request instanceof TaskFailed) return request;
    // A request typed as text (`@catalog list` in chat) gets text back; an object gets data.
    const asText = typeof raw === 'string';
    switch (request.action) {
      case 'list':
        return asText ? listText(this.recipes, this.#library.broken()) : { recipes: this.recipes.map(summary), broken: this.#library.broken().map(brokenSummary) };
      case 'info': {
        const recipe = this.#find(request.recipe);
        if (recipe instanceof TaskFailed) return recipe;
        return asText ? infoText(recipe) : info(recipe);
      }
      case 'spawn': {
        const recipe = this.#find(request.recipe);
        if (recipe instanceof TaskFailed) return recipe;
        // Spawning runs setup() in an isolate: answer when done, without holding the mailbox.
        return this.answerLater(msg, () =>
          this.#spawn(recipe, request).then(
            (outcome) => ({ recipe: recipe.meta.name, ...outcome }),
            (err: unknown) => new TaskFailed(err instanceof Error ? err.message : String(err), 'spawn'),
          ),
        );
      }
      case 'reload':
        // Reading and compiling every recipe takes a while: answer when done, mailbox free.
        return this.answerLater(msg, () =>
          this.#library.load().then(
            (report) => (asText ? reloadText(report, this.#library.ownerDir) : { ...report, broken: report.broken.map(brokenSummary), note: RUNNING_NOTE }),
            (err: unknown) => new TaskFailed(`reload failed: ${err instanceof Error ? err.message : String(err)}`, 'catalog'),
          ),
        );
    }
  }

  async #spawn(recipe: Recipe, request: CatalogRequest): Promise<SpawnOutcome> {
    const config = renderRecipe(recipe, { ...(request.name ? { name: request.name } : {}), ...(request.params ? { params: request.params } : {}), ...(request.replace !== undefined ? { replace: request.replace } : {}) });
    return this.#spawner.spawn(config as SpawnConfig, { by: 'catalog', recipe: recipe.meta.name, scopes: recipe.meta.scopes });
  }

  #find(query: string | undefined): Recipe | TaskFailed {
    const recipes = this.recipes;
    if (!query) return new TaskFailed(`name a recipe: ${recipes.map((r) => r.meta.name).join(', ')}`, 'catalog');
    const hit = findRecipe(query, recipes.map((r) => ({ ...r, name: r.meta.name, title: r.meta.title, tags: r.meta.tags })));
    if ('found' in hit) return hit.found;
    if ('ambiguous' in hit) return new TaskFailed(`"${query}" matches several recipes: ${hit.ambiguous.map((r) => r.name).join(', ')}; which one?`, 'catalog');
    const broken = this.#library.broken().find((b) => b.folder === query.trim());
    if (broken) return new TaskFailed(`the recipe in ${broken.dir} is broken: ${broken.error}`, 'catalog');
    return new TaskFailed(`no recipe matches "${query}"; the catalog has ${recipes.map((r) => r.meta.name).join(', ')}`, 'catalog');
  }
}

/** A task as an object or as text ("spawn weather fetcher"). */
export function parseRequest(payload: unknown): CatalogRequest | TaskFailed {
  if (typeof payload === 'string') {
    const [first = '', ...rest] = payload.trim().split(/\s+/);
    const action = first.toLowerCase();
    if (action !== 'list' && action !== 'info' && action !== 'spawn' && action !== 'reload') return new TaskFailed('the catalog understands "list", "info <recipe>", "spawn <recipe>" and "reload"', 'catalog');
    return rest.length ? { action, recipe: rest.join(' ') } : { action };
  }
  if (payload === null || typeof payload !== 'object') return new TaskFailed('send {action: "list" | "info" | "spawn", recipe, params}', 'catalog');
  const p = payload as Record<string, unknown>;
  const action = typeof p.action === 'string' ? p.action.toLowerCase() : 'list';
  if (action !== 'list' && action !== 'info' && action !== 'spawn' && action !== 'reload') return new TaskFailed(`unknown action "${String(p.action)}": use list, info, spawn or reload`, 'catalog');
  const recipe = [p.recipe, p.agent, p.name].find((v): v is string => typeof v === 'string');
  // `name` names the recipe unless `recipe`/`agent` does, in which case it names the new agent.
  const instance = typeof p.recipe === 'string' || typeof p.agent === 'string' ? (typeof p.name === 'string' ? p.name : typeof p.as === 'string' ? p.as : undefined) : typeof p.as === 'string' ? p.as : undefined;
  const params = p.params ?? p.parameters;
  // An array or a scalar would be dropped or read index by index ("unknown parameter 0").
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) return new TaskFailed(`params must be an object of parameter names to values, like {"city": "Athens"}; got ${Array.isArray(params) ? 'an array' : JSON.stringify(params)}`, 'catalog');
  return {
    action,
    ...(recipe !== undefined ? { recipe } : {}),
    ...(instance !== undefined ? { name: instance } : {}),
    ...(params !== null && typeof params === 'object' ? { params: params as Record<string, unknown> } : {}),
    ...(typeof p.replace === 'boolean' ? { replace: p.replace } : {}),
  };
}

function summary(r: Recipe) {
  return {
    name: r.meta.name,
    title: r.meta.title,
    description: r.meta.description,
    tags: r.meta.tags,
    source: r.source,
    parameters: Object.fromEntries(Object.entries(r.meta.parameters).map(([k, p]) => [k, { type: p.type, description: p.description, ...(p.default !== undefined ? { default: p.default } : {}) }])),
  };
}

function info(r: Recipe) {
  const { meta } = r;
  return { ...summary(r), type: meta.type, poll_interval: meta.poll_interval ?? null, publishes: meta.publishes, subscribes: meta.subscribes, scopes: meta.scopes, input_schema: meta.input_schema ?? null, output_schema: meta.output_schema ?? null, example_task: meta.example_task ?? null };
}

function parametersText(r: Recipe): string[] {
  return Object.entries(r.meta.parameters).map(([k, p]) => `  - ${k} (${p.type}${p.default !== undefined ? `, default ${JSON.stringify(p.default)}` : ''}): ${p.description}`);
}

const RUNNING_NOTE = 'Agents already running from a changed or removed recipe keep running as they were spawned; respawn one (spawn with replace) to run the new version.';

function brokenSummary(b: BrokenRecipe) {
  return { folder: b.folder, dir: b.dir, source: b.source, error: b.error };
}

function brokenLines(broken: readonly BrokenRecipe[]): string[] {
  return broken.length ? [`Broken, not loaded (${broken.length}):`, ...broken.map((b) => `- **${b.folder || b.dir}** (${b.source === 'owner' ? 'yours' : 'bundled'}, ${b.dir}): ${b.error}`)] : [];
}

function listText(recipes: readonly Recipe[], broken: readonly BrokenRecipe[]): string {
  if (recipes.length === 0 && broken.length === 0) return 'The catalog is empty.';
  const lines = recipes.map((r) => `- **${r.meta.name}**${r.source === 'owner' ? ' (yours)' : ''}: ${r.meta.title}. ${r.meta.description}`);
  return [`${recipes.length} recipes (spawn one with "@catalog spawn <name>", details with "@catalog info <name>", "@catalog reload" after changing your own):`, ...lines, ...brokenLines(broken)].join('\n');
}

function reloadText(report: RecipesReport, ownerDir: string | undefined): string {
  const changes = [
    ...(report.added.length ? [`added ${report.added.join(', ')}`] : []),
    ...(report.changed.length ? [`changed ${report.changed.join(', ')}`] : []),
    ...(report.removed.length ? [`removed ${report.removed.join(', ')}`] : []),
  ];
  return [
    `Reloaded: ${report.loaded} recipes${ownerDir ? ` (yours from ${ownerDir})` : ''}; ${changes.length ? changes.join('; ') : 'nothing changed'}.`,
    ...brokenLines(report.broken),
    ...(report.changed.length || report.removed.length ? [RUNNING_NOTE] : []),
  ].join('\n');
}

function infoText(r: Recipe): string {
  const { meta } = r;
  return [
    `**${meta.name}** (${meta.type}${meta.poll_interval ? `, every ${meta.poll_interval} s` : ''}${r.source === 'owner' ? `, yours from ${r.dir}` : ''}): ${meta.title}`,
    meta.description,
    ...(Object.keys(meta.parameters).length ? ['Parameters:', ...parametersText(r)] : []),
    ...(meta.publishes.length ? [`Publishes: ${meta.publishes.join(', ')}`] : []),
    ...(meta.subscribes.length ? [`Subscribes: ${meta.subscribes.join(', ')}`] : []),
    `Needs: ${meta.scopes.join(', ')}`,
  ].join('\n');
}
