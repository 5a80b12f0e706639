// Pipeline mode up to the proposal: discovery, feasibility, one LLM plan, static validation (a
// failed parse or check goes back to the LLM once with the errors, then to the user), backtest.
// Nothing is spawned here.
import { externalTopicsSection } from '../../../bus/external-reads.ts';
import type { TopicRegistry } from '../../../bus/topic-bus/registry.ts';
import type { Clock } from '../../../core/clock.ts';
import type { LlmService } from '../../../llm/index.ts';
import { backtest, type BacktestResult } from '../backtest/backtest.ts';
import { triggerOf } from '../backtest/trigger.ts';
import { errorText, withDeadline } from '../deadline.ts';
import type { ProposalPlan } from '../proposals/proposal.ts';
import { describeIssue, type ValidationReport } from '../validation/issues.ts';
import { validatePlan, type ValidationContext } from '../validation/validate-plan.ts';
import type { StateBridgeScope } from '../../ha/state-bridge.ts';
import { discover } from './discovery.ts';
import { checkFeasibility, infeasibleAnswer } from './feasibility.ts';
import { snapshotHome, type PlannerHa } from './home.ts';
import { parsePipelinePlan, type PipelinePlan } from './pipeline-plan.ts';
import { pipelineSystem, pipelineUser } from './pipeline-prompt.ts';

export interface PipelineDeps {
  clock: Clock;
  llm: Pick<LlmService, 'complete'>;
  ha: PlannerHa;
  topics?: TopicRegistry | undefined;
  root?: string;
  /** Device topics outside the root rules may listen on (mqtt_read_topics), named as they are. */
  externalReads?: readonly string[];
  /** What the HA state bridge publishes (add-on options ha_bridge_*): rules trigger only there. */
  stateBridge?: StateBridgeScope;
  agentExists?: (name: string) => boolean;
  llmTimeoutMs?: number;
  timezone?: string | undefined;
  /** The chat channel targets rules may notify (the runtime's configured channels). */
  chatTargets?: () => readonly string[];
}

export type PipelineDraft =
  | { kind: 'draft'; plan: ProposalPlan; validation: ValidationReport; backtest: BacktestResult }
  | { kind: 'refused'; text: string; errors: string[] };

export interface DraftOptions {
  previous?: ProposalPlan;
  correction?: string;
  /** `previous` runs as a rule now: the revised plan keeps its agents' names where they stay (they are swapped in place). */
  editing?: boolean;
  signal?: AbortSignal;
}

const DEFAULT_LLM_TIMEOUT_MS = 120_000;

export async function draftPipeline(request: string, deps: PipelineDeps, options: DraftOptions = {}): Promise<PipelineDraft> {
  const home = snapshotHome(deps.ha, deps.chatTargets?.() ?? []);
  if (home.entities.size === 0) return { kind: 'refused', text: 'Home Assistant is not connected (or has no entities yet), so I cannot plan a rule against your home right now.', errors: ['no entities'] };
  if (!options.previous) {
    const feasible = checkFeasibility(request, home);
    if (!feasible.ok) return { kind: 'refused', text: infeasibleAnswer(request, feasible.missing, home), errors: feasible.missing };
  }
  const discovery = discover(home, deps.topics);
  const system = pipelineSystem({ ...discovery, topicSamples: [externalTopicsSection(deps.externalReads), discovery.topicSamples].filter((s) => s !== '').join('\n') }, deps.stateBridge);
  const ask = async (user: string): Promise<string> =>
    withDeadline(deps.clock, deps.llmTimeoutMs ?? DEFAULT_LLM_TIMEOUT_MS, options.signal, 'planning the rule', async (s) =>
      (await deps.llm.complete({ callSite: 'planner', agent: 'planner', system, messages: [{ role: 'user', content: user }], signal: s })).text,
    );
  const validation = validationContext(home, deps);

  let user = pipelineUser(request, options.previous ? { plan: options.previous, ...(options.correction ? { correction: options.correction } : {}), ...(options.editing ? { editing: true } : {}) } : undefined);
  let last: { plan: PipelinePlan; report: ValidationReport } | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    let text: string;
    try {
      text = await ask(user);
    } catch (err) {
      return { kind: 'refused', text: `I could not plan this rule: ${errorText(err)}`, errors: [errorText(err)] };
    }
    const parsed = parsePipelinePlan(text);
    if (parsed.kind === 'infeasible') return { kind: 'refused', text: `I can't set that up: ${parsed.reason}`, errors: [parsed.reason] };
    if (parsed.kind === 'invalid') {
      if (attempt === 1) return { kind: 'refused', text: `I could not produce a valid plan for this rule:\n${parsed.errors.map((e) => `- ${e}`).join('\n')}\nTry rephrasing it, or name the devices to use.`, errors: parsed.errors };
      user = pipelineUser(request, { plan: text.slice(0, 20_000), errors: parsed.errors });
      continue;
    }
    const report = await validatePlan(parsed.plan, validation);
    last = { plan: parsed.plan, report };
    if (report.ok) break;
    user = pipelineUser(request, { plan: toProposalPlan(parsed.plan), errors: report.errors.map(describeIssue) });
  }
  if (!last) return { kind: 'refused', text: 'I could not produce a plan for this rule.', errors: [] };
  const plan = toProposalPlan(last.plan);
  const bt = await backtest(triggerOf(plan.agents.map((a) => a.config), plan.trigger), { clock: deps.clock, ha: deps.ha, ...(deps.timezone ? { timezone: deps.timezone } : {}) }, options.signal ? { signal: options.signal } : {});
  return { kind: 'draft', plan, validation: last.report, backtest: bt };
}

/** A stored plan (a rule's earlier version) checked against the home as it is now, before it runs again. */
export async function revalidatePlan(plan: ProposalPlan, deps: PipelineDeps): Promise<ValidationReport> {
  const home = snapshotHome(deps.ha, deps.chatTargets?.() ?? []);
  const planned: PipelinePlan = { pattern: plan.pattern, title: plan.title, summary: plan.summary, agents: plan.agents.map((a) => ({ ...a, warnings: [] })), trigger: plan.trigger };
  return validatePlan(planned, validationContext(home, deps));
}

function validationContext(home: ValidationContext['home'], deps: PipelineDeps): ValidationContext {
  return {
    home,
    ha: deps.ha,
    ...(deps.topics ? { registry: deps.topics } : {}),
    ...(deps.root ? { root: deps.root } : {}),
    ...(deps.externalReads ? { externalReads: deps.externalReads } : {}),
    ...(deps.stateBridge ? { stateBridge: deps.stateBridge } : {}),
    ...(deps.agentExists ? { agentExists: deps.agentExists } : {}),
  };
}

function toProposalPlan(p: PipelinePlan): ProposalPlan {
  return {
    pattern: p.pattern,
    title: p.title,
    summary: p.summary,
    agents: p.agents.map((a) => ({ config: a.config, description: a.description })),
    ...(p.trigger ? { trigger: p.trigger } : {}),
  };
}
