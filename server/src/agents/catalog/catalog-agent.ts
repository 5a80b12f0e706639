// The catalog agent: pre-built recipes that spawn without the LLM writing code. Tasks:
//   {action: "list"}                                   every recipe, with its parameters
//   {action: "info", recipe: "anomaly"}                one recipe's metadata (not its code)
//   {action: "spawn", recipe: "weather", params: {...}, name?: "...", replace?: true}
// or the same as text ("list", "info weather", "spawn camera describer"). Names are matched
// fuzzily; an ambiguous name lists the candidates. Spawned recipes go through the spawner like any
// agent (saved in the spawn registry, restored at start) with only the scopes the recipe declares.
import { Actor } from '../../core/actor.ts';
import type { Message, TaskMessage } from '../../core/messages.ts';
import type { AgentSpawner, SpawnOutcome } from '../spawner/agent-spawner.ts';
import type { SpawnConfig } from '../spawn-config/config-schema.ts';
import { TaskFailed, unwrapTask } from '../dynamic/agent-task.ts';
import { findRecipe } from './fuzzy.ts';
import type { Recipe } from './recipe.ts';
import { renderRecipe } from './render.ts';

export const CATALOG_NAME = 'catalog';

export interface CatalogRequest {
  action: 'list' | 'info' | 'spawn';
  recipe?: string;
  params?: Record<string, unknown>;
  name?: string;
  replace?: boolean;
}

export class CatalogAgent extends Actor {
  readonly #recipes: readonly Recipe[];
  readonly #spawner: AgentSpawner;

  constructor(recipes: readonly Recipe[], spawner: AgentSpawner) {
    super({ name: CATALOG_NAME, id: CATALOG_NAME, kind: 'catalog', protected: true });
    this.#recipes = recipes;
    this.#spawner = spawner;
  }

  get recipes(): readonly Recipe[] {
    return this.#recipes;
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
        return asText ? listText(this.#recipes) : { recipes: this.#recipes.map(summary) };
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
    }
  }

  async #spawn(recipe: Recipe, request: CatalogRequest): Promise<SpawnOutcome> {
    const config = renderRecipe(recipe, { ...(request.name ? { name: request.name } : {}), ...(request.params ? { params: request.params } : {}), ...(request.replace !== undefined ? { replace: request.replace } : {}) });
    return this.#spawner.spawn(config as SpawnConfig, { by: 'catalog', recipe: recipe.meta.name, scopes: recipe.meta.scopes });
  }

  #find(query: string | undefined): Recipe | TaskFailed {
    if (!query) return new TaskFailed(`name a recipe: ${this.#recipes.map((r) => r.meta.name).join(', ')}`, 'catalog');
    const hit = findRecipe(query, this.#recipes.map((r) => ({ ...r, name: r.meta.name, title: r.meta.title, tags: r.meta.tags })));
    if ('found' in hit) return hit.found;
    if ('ambiguous' in hit) return new TaskFailed(`"${query}" matches several recipes: ${hit.ambiguous.map((r) => r.name).join(', ')}; which one?`, 'catalog');
    return new TaskFailed(`no recipe matches "${query}"; the catalog has ${this.#recipes.map((r) => r.meta.name).join(', ')}`, 'catalog');
  }
}

/** A task as an object or as text ("spawn weather fetcher"). */
export function parseRequest(payload: unknown): CatalogRequest | TaskFailed {
  if (typeof payload === 'string') {
    const [first = '', ...rest] = payload.trim().split(/\s+/);
    const action = first.toLowerCase();
    if (action !== 'list' && action !== 'info' && action !== 'spawn') return new TaskFailed('the catalog understands "list", "info <recipe>" and "spawn <recipe>"', 'catalog');
    return rest.length ? { action, recipe: rest.join(' ') } : { action };
  }
  if (payload === null || typeof payload !== 'object') return new TaskFailed('send {action: "list" | "info" | "spawn", recipe, params}', 'catalog');
  const p = payload as Record<string, unknown>;
  const action = typeof p.action === 'string' ? p.action.toLowerCase() : 'list';
  if (action !== 'list' && action !== 'info' && action !== 'spawn') return new TaskFailed(`unknown action "${String(p.action)}": use list, info or spawn`, 'catalog');
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

function listText(recipes: readonly Recipe[]): string {
  if (recipes.length === 0) return 'The catalog is empty.';
  const lines = recipes.map((r) => `- **${r.meta.name}**: ${r.meta.title}. ${r.meta.description}`);
  return [`${recipes.length} recipes (spawn one with "@catalog spawn <name>", details with "@catalog info <name>"):`, ...lines].join('\n');
}

function infoText(r: Recipe): string {
  const { meta } = r;
  return [
    `**${meta.name}** (${meta.type}${meta.poll_interval ? `, every ${meta.poll_interval} s` : ''}): ${meta.title}`,
    meta.description,
    ...(Object.keys(meta.parameters).length ? ['Parameters:', ...parametersText(r)] : []),
    ...(meta.publishes.length ? [`Publishes: ${meta.publishes.join(', ')}`] : []),
    ...(meta.subscribes.length ? [`Subscribes: ${meta.subscribes.join(', ')}`] : []),
    `Needs: ${meta.scopes.join(', ')}`,
  ].join('\n');
}
