// Static validation of a planned rule, before anything runs: entities exist, services exist,
// dynamic code compiles and uses only the SDK, topics wire up, the rule cannot trigger itself,
// names are free, durations (for_seconds) have a state to hold, and sensitive actions are flagged
// for the approval to confirm.
import type { HaClient } from '../../../ha/client.ts';
import type { TopicRegistry } from '../../../bus/topic-bus/registry.ts';
import type { HomeSnapshot } from '../pipeline/home.ts';
import type { StateBridgeScope } from '../../ha/state-bridge.ts';
import type { PipelinePlan } from '../pipeline/pipeline-plan.ts';
import { checkCode } from './code.ts';
import { checkDurations } from './durations.ts';
import { checkEntities } from './entities.ts';
import { issue, type ValidationIssue, type ValidationReport } from './issues.ts';
import { ruleFacts } from './rule-graph.ts';
import { checkSelfTrigger } from './self-trigger.ts';
import { sensitiveInCode, sensitiveInRule, sensitiveOnBrokerData } from './sensitive.ts';
import { checkServices } from './services.ts';
import { checkTopics } from './topics.ts';

export interface ValidationContext {
  home: HomeSnapshot;
  /** Live states, for the sensitive-action policy (a cover's device class). */
  ha: Pick<HaClient, 'states' | 'getState'>;
  registry?: TopicRegistry;
  root?: string;
  /** Device topics outside the root the owner lets rules read (mqtt_read_topics): fed by the broker. */
  externalReads?: readonly string[];
  /** What the HA state bridge publishes (a rule triggered elsewhere never fires). */
  stateBridge?: StateBridgeScope;
  /** Whether an agent of this name exists already (a rule must not take over someone else's agent). */
  agentExists?: (name: string) => boolean;
}

export async function validatePlan(plan: PipelinePlan, ctx: ValidationContext): Promise<ValidationReport> {
  const configs = plan.agents.map((a) => a.config);
  const facts = ruleFacts(configs, ctx.root);
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = plan.agents.flatMap((a) => a.warnings.map((w) => issue('topic', w, a.config.name)));
  for (const c of configs) {
    if (ctx.agentExists?.(c.name) === true && !c.replace) errors.push(issue('name_taken', `an agent named "${c.name}" already exists; pick another name`, c.name));
  }
  errors.push(...checkEntities(facts, ctx.home));
  errors.push(...checkServices(facts, ctx.home));
  const code = await checkCode(configs);
  errors.push(...code.errors);
  warnings.push(...code.warnings);
  const topics = checkTopics(facts, { home: ctx.home, ...(ctx.registry ? { registry: ctx.registry } : {}), ...(ctx.root ? { root: ctx.root } : {}), ...(ctx.externalReads ? { externalReads: ctx.externalReads } : {}), ...(ctx.stateBridge ? { stateBridge: ctx.stateBridge } : {}) });
  errors.push(...topics.errors);
  warnings.push(...topics.warnings);
  errors.push(...sensitiveInCode(facts, ctx.ha));
  warnings.push(...sensitiveOnBrokerData(facts, ctx.ha));
  const durations = checkDurations(configs, ctx.root);
  errors.push(...durations.errors);
  warnings.push(...durations.warnings);
  const loop = checkSelfTrigger(facts, ctx.home, plan.trigger);
  errors.push(...loop.errors);
  warnings.push(...loop.warnings);
  return { ok: errors.length === 0, errors, warnings, sensitive: sensitiveInRule(facts, ctx.ha) };
}
