// Rules and plans change inside the planner (an agent fails, a rule fires, a plan expires or is
// approved from chat). The planner has no event stream of its own, so this watcher compares the
// lists every few seconds and publishes what changed: cheap SQLite reads, and the panel's Rules
// and Plans views stay live without reloading.
import type { Clock } from '../core/clock.ts';
import type { LiveEvent } from '../contract/live-events.ts';
import type { Plan } from '../contract/plans.ts';
import type { Rule } from '../contract/rules.ts';
import type { PlansService, RulesService } from '../contract/services.ts';

export interface WatchDeps {
  rules: RulesService;
  plans: PlansService;
  clock: Clock;
  publish: (event: LiveEvent) => unknown;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

const ruleKey = (r: Rule) => `${r.status}|${r.enabled}|${r.last_fired_at ?? ''}`;
const planKey = (p: Plan) => `${p.status}|${p.rule_id ?? ''}|${p.reason ?? ''}`;

export function watchRulesAndPlans(deps: WatchDeps): { poll(): Promise<void>; stop(): void } {
  let rules: Map<string, string> | undefined;
  let plans: Map<string, string> | undefined;
  let inFlight: Promise<void> | undefined;

  /** One comparison; a poll asked for while one runs shares it. */
  function poll(): Promise<void> {
    inFlight ??= compare().finally(() => (inFlight = undefined));
    return inFlight;
  }

  async function compare(): Promise<void> {
    try {
      const nowRules = await deps.rules.list();
      const nextRules = new Map(nowRules.map((r) => [r.id, ruleKey(r)]));
      if (rules) {
        for (const r of nowRules) {
          if (rules.get(r.id) !== ruleKey(r)) deps.publish({ type: 'rule.status', rule_id: r.id, status: r.status, enabled: r.enabled, last_fired_at: r.last_fired_at });
        }
        for (const id of rules.keys()) if (!nextRules.has(id)) deps.publish({ type: 'rule.removed', rule_id: id });
      }
      rules = nextRules;

      const nowPlans = await deps.plans.list();
      const nextPlans = new Map(nowPlans.map((p) => [p.id, planKey(p)]));
      if (plans) for (const p of nowPlans) if (plans.get(p.id) !== planKey(p)) deps.publish({ type: 'plan.update', plan: p });
      plans = nextPlans;
    } catch (err) {
      deps.onError?.(err);
    }
  }

  const timer = deps.clock.setInterval(() => void poll(), deps.intervalMs ?? 3_000);
  void poll();
  return { poll, stop: () => timer.cancel() };
}
