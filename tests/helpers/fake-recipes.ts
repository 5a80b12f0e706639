// The recipe catalogue for API and panel tests: the real recipes/ folder and the catalog's own
// parameter checks (resolveParams), so a refused parameter reads as it does on the real server;
// a spawn adds a running agent and announces it on the agents topic, as the spawner does. Two
// owner recipes are listed as broken.
import { loadRecipes } from '../../server/src/agents/catalog/recipe.ts';
import { resolveParams } from '../../server/src/agents/catalog/render.ts';
import type { LiveHub } from '../../server/src/http/live-hub.ts';
import { ServiceError } from '../../server/src/contract/service-error.ts';
import type { RequestContext, RecipesService } from '../../server/src/contract/services.ts';
import { recipeInfo } from '../../server/src/services/recipes.ts';
import type { FakeState } from './fake-services.ts';
import { iso } from './fake-data.ts';

export function fakeRecipes(state: FakeState, hub: LiveHub, record: (what: string, ctx: RequestContext) => void): RecipesService {
  const { recipes } = loadRecipes();
  return {
    list: async () => recipes.map((r) => recipeInfo(r.meta)),
    // Two owner recipes that failed the catalog's checks, in its words.
    broken: async () => [
      { name: 'door-opener', source: 'owner', reason: 'scopes: "ha:sensitive" is the owner\'s grant, not a scope a recipe may declare' },
      { name: 'half-written', source: 'owner', reason: 'recipe.json: Unexpected end of JSON input' },
    ],
    async spawn(name, request, ctx) {
      record('recipes.spawn', ctx);
      const recipe = recipes.find((r) => r.meta.name === name);
      if (!recipe) throw new ServiceError('not_found', `No recipe named "${name}"`);
      let params: Record<string, string | number | boolean>;
      try {
        params = resolveParams(recipe, request.params ?? {});
      } catch (err) {
        throw new ServiceError('invalid', (err as Error).message);
      }
      const agent = request.name ?? recipe.meta.name;
      const existing = state.agents.get(agent);
      // As the spawner: a built-in's name is refused, a spawned agent's name keeps that agent.
      if (existing?.protected) throw new ServiceError('invalid', `spawn "${agent}" rejected: name: "${agent}" is reserved for a system actor; pick another name`);
      if (existing) return { recipe: name, agent, status: 'reused', reply: `An agent named ${agent} already runs; it was kept as it is.` };
      state.agents.set(agent, {
        id: `a-${agent}`, name: agent, type: 'dynamic', state: 'running', node: 'local', description: recipe.meta.description, last_heartbeat: iso(0),
        cost_usd: 0, messages_processed: 0, errors: 0, started_at: iso(0), protected: false, problem: null, recent_logs: [],
      });
      hub.publish({ type: 'agent.state', agent, state: 'running' });
      return { recipe: name, agent, status: 'spawned', reply: `Spawned ${agent} from ${name} with ${JSON.stringify(params)}.` };
    },
  };
}
