// Stand-ins for the areas the orchestrator reaches, for tests that build it without the planner,
// the HA agents, the catalog or remote nodes: empty services, and intent handlers that send
// device commands to Home Assistant's own conversation agent and say the planner is absent.
import type { HaClient } from '../../server/src/ha/client.ts';
import { askHaAssist, type IntentHandlers } from '../../server/src/agents/main/intents.ts';
import type { PlansService, RulesService } from '../../server/src/contract/services.ts';
import type { Catalog, NodesSource } from '../../server/src/agents/main/parts.ts';

export const EMPTY_RULES: RulesService = {
  list: async () => [],
  setEnabled: async () => undefined,
  delete: async () => false,
};

export const EMPTY_PLANS: PlansService = {
  list: async () => [],
  approve: async () => undefined,
  reject: async () => undefined,
  clearCache: async () => 0,
};

export const NO_NODES: NodesSource = { list: async () => [] };

export const EMPTY_CATALOG: Catalog = {
  recipes: () => [],
  spawn: (name) => Promise.reject(new Error(`The catalog has no recipe named ${name}.`)),
};

export const PLANNER_MISSING =
  'The planner is not available yet, so I cannot build reactive rules or multi-step plans. ' +
  'You can still control devices directly ("turn on the kitchen light") or ask me to spawn an agent.';

/** Device commands and HA questions go to HA's own conversation agent; no planner, no follow-ups. */
export function haAssistIntents(ha: HaClient | undefined): IntentHandlers {
  return {
    actuate: async (text, ctx) => askHaAssist(ha, text, ctx, 'home-assistant'),
    ha: async (text, ctx) => {
      const r = await askHaAssist(ha, text, ctx, 'home-assistant');
      // HA's built-in agent knows few questions; main's conversation can still answer the rest.
      return r.understood ? r : { ...r, fallthrough: true };
    },
    pipeline: async () => ({ text: PLANNER_MISSING, agent: 'main' }),
    followUps: [],
  };
}

/** Every part the orchestrator needs besides its core (db, clock, llm, system), as stand-ins. */
export function standInParts(ha: HaClient | undefined) {
  return {
    ha,
    catalog: EMPTY_CATALOG,
    topics: undefined,
    nodes: NO_NODES,
    rules: EMPTY_RULES,
    plans: EMPTY_PLANS,
    intents: haAssistIntents(ha),
  };
}
