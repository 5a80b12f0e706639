// The contract's RulesService and PlansService over the planner's managers: what the HTTP API,
// the panel and main's /rules and /plans use.
import { ServiceError } from '../contract/service-error.ts';
import type { PlansService, RequestContext, RulesService } from '../contract/services.ts';
import { toHttpPlan, toHttpRule, toHttpTrace, toHttpVersion } from '../agents/planner/contract-views.ts';
import type { PlansManager } from '../agents/planner/proposals/plans-manager.ts';
import type { RuleEditor } from '../agents/planner/rules/rule-editor.ts';
import type { RulesManager } from '../agents/planner/rules/rules-manager.ts';
import type { PlanCache } from '../agents/planner/task/plan-cache.ts';

/** Who approved, for a rule's history: the signed-in user, else how the request came. */
export function approverOf(ctx: RequestContext | undefined): string | undefined {
  const id = ctx?.identity;
  return id ? (id.userId ?? id.userName ?? id.via) : undefined;
}

export function rulesService(rules: RulesManager, editor?: RuleEditor): RulesService {
  return {
    list: async () => rules.list().map(toHttpRule),
    setEnabled: async (id, enabled) => {
      const r = await rules.setEnabled(id, enabled);
      return r ? toHttpRule(r) : undefined;
    },
    delete: (id) => rules.delete(id),
    traces: async (id, query) => rules.traces(id, query)?.map(toHttpTrace),
    traceSummary: (ref, time) => rules.traceSummary(ref, time),
    warnings: async () => rules.warnings(),
    ...(editor
      ? {
          versions: async (ref: string) => {
            const found = editor.versions(ref);
            if (!found) return undefined;
            const current = found.versions[0]?.version ?? 0;
            return found.versions.map((v) => toHttpVersion(v, current));
          },
          rollback: async (ref: string, version: number, ctx: RequestContext) => {
            const r = await editor.rollback(ref, version, approverOf(ctx));
            if (!r.ok) throw new ServiceError(r.code, r.error);
            return { rule: toHttpRule(r.rule), version: toHttpVersion(r.version, r.version.version) };
          },
        }
      : {}),
  };
}

export function plansService(plans: PlansManager, cache?: PlanCache): PlansService & Required<Pick<PlansService, 'clearCache'>> {
  return {
    list: async () => plans.list().map((p) => toHttpPlan(p)),
    approve: async (id, ctx) => {
      if (!plans.get(id)) return undefined;
      const by = approverOf(ctx);
      const outcome = await plans.approve(id, by !== undefined ? { userId: by } : {});
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
