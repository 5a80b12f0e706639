// The contract's RulesService and PlansService over the planner's managers: what the HTTP API,
// the panel and main's /rules and /plans use.
import type { PlansService, RulesService } from '../contract/services.ts';
import { toHttpPlan, toHttpRule, toHttpTrace } from '../agents/planner/contract-views.ts';
import type { PlansManager } from '../agents/planner/proposals/plans-manager.ts';
import type { RulesManager } from '../agents/planner/rules/rules-manager.ts';
import type { PlanCache } from '../agents/planner/task/plan-cache.ts';

export function rulesService(rules: RulesManager): RulesService {
  return {
    list: async () => rules.list().map(toHttpRule),
    setEnabled: async (id, enabled) => {
      const r = await rules.setEnabled(id, enabled);
      return r ? toHttpRule(r) : undefined;
    },
    delete: (id) => rules.delete(id),
    traces: async (id, query) => rules.traces(id, query)?.map(toHttpTrace),
    traceSummary: (ref, time) => rules.traceSummary(ref, time),
  };
}

export function plansService(plans: PlansManager, cache?: PlanCache): PlansService & Required<Pick<PlansService, 'clearCache'>> {
  return {
    list: async () => plans.list().map((p) => toHttpPlan(p)),
    approve: async (id) => {
      if (!plans.get(id)) return undefined;
      const outcome = await plans.approve(id);
      const after = plans.get(id);
      if (!after) return undefined;
      return outcome.kind === 'error' ? toHttpPlan(after, outcome.text) : toHttpPlan(after);
    },
    reject: async (id, reason) => {
      if (!plans.get(id)) return undefined;
      const outcome = plans.reject(id, reason);
      const after = plans.get(id);
      if (!after) return undefined;
      return outcome.kind === 'error' ? toHttpPlan(after, outcome.text) : toHttpPlan(after);
    },
    clearCache: async () => cache?.clear() ?? 0,
  };
}
