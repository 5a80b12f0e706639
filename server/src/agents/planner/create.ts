// Assembles the planner area from the runtime's parts: stores, the rules and plans managers, the
// Planner, main's intent handlers and the HTTP-shaped services. start() after the spawner
// restored its registry (disabled rules' agents are stopped again); stop() before the system.
import type { Bus } from '../../bus/bus.ts';
import type { TopicRegistry } from '../../bus/topic-bus/registry.ts';
import type { Clock } from '../../core/clock.ts';
import type { ActorSystem } from '../../core/system.ts';
import type { HaClient } from '../../ha/client.ts';
import type { LlmService } from '../../llm/index.ts';
import { periodStart } from '../../llm/periods.ts';
import type { Db } from '../../store/database.ts';
import type { AgentSpawner } from '../spawner/agent-spawner.ts';
import { SystemAgentDirectory } from './agent-directory.ts';
import { plansService, rulesService } from '../../services/planner.ts';
import { plannerIntentHandlers, type PlannerIntents } from './intent-handlers.ts';
import { Planner } from './planner.ts';
import type { AgentDirectory, StepExecutor } from './ports.ts';
import { PlansManager } from './proposals/plans-manager.ts';
import { ProposalStore } from './proposals/proposal-store.ts';
import { RuleEditor } from './rules/rule-editor.ts';
import { RuleStore } from './rules/rule-store.ts';
import { RuleVersionStore } from './rules/version-store.ts';
import { revalidatePlan, type PipelineDeps } from './pipeline/pipeline-planner.ts';
import { RulesManager } from './rules/rules-manager.ts';
import { RuleTraceRecorder } from './traces/recorder.ts';
import { TraceStore } from './traces/trace-store.ts';
import type { PlansService, RulesService } from '../../contract/services.ts';
import { SystemStepExecutor } from './step-executor.ts';
import { PlanCache } from './task/plan-cache.ts';
import type { StateBridgeScope } from '../ha/state-bridge.ts';

export interface PlannerAreaDeps {
  db: Db;
  clock: Clock;
  llm: LlmService;
  system: ActorSystem;
  spawner: AgentSpawner;
  ha: HaClient;
  bus?: Bus | undefined;
  topics?: TopicRegistry | undefined;
  /** The recorder the rule agents' factories were given (built here when absent). */
  traces?: RuleTraceRecorder | undefined;
  /** The chat channel targets rules may notify (`telegram:<id>`...); none when absent. */
  chatTargets?: () => readonly string[];
  /** What the HA state bridge publishes; the planner refuses rules triggered elsewhere. */
  stateBridge?: StateBridgeScope;
  /** Overrides for tests. */
  agents?: AgentDirectory;
  executor?: StepExecutor;
  deadlineMs?: number;
  stepTimeoutMs?: number;
  llmTimeoutMs?: number;
}

export interface PlannerArea {
  planner: Planner;
  plans: PlansManager;
  rules: RulesManager;
  /** Versions of the rules: history, edits applied, rollbacks. */
  editor: RuleEditor;
  cache: PlanCache;
  traces: RuleTraceRecorder;
  intents: PlannerIntents;
  /** The services main's /rules and /plans and the HTTP API use. */
  http: { rules: RulesService; plans: PlansService & Required<Pick<PlansService, 'clearCache'>> };
  start(): Promise<void>;
  stop(): void;
}

export function createPlannerArea(deps: PlannerAreaDeps): PlannerArea {
  const { db, clock, llm, system, spawner, ha } = deps;
  const agents = deps.agents ?? new SystemAgentDirectory(system, spawner);
  const timezone = () => ha.config()?.time_zone;
  const cache = new PlanCache(db, () => clock.now());
  const traces = deps.traces ?? new RuleTraceRecorder({ store: new TraceStore(db), clock });
  // Cost per rule: the ledger's rows of the rules' agents (agent.llm.chat carries the rule id).
  const costs = () => new Map([...llm.ledger.ruleCosts(periodStart('day', clock.now()))].map(([id, c]) => [id, { totalUsd: c.totalUsd, todayUsd: c.sinceUsd }]));
  const ruleStore = new RuleStore(db);
  const versions = new RuleVersionStore(db);
  const rules = new RulesManager({ store: ruleStore, spawner, agents, clock, bus: deps.bus, system, stateOf: (id) => ha.getState(id), timezone, traces, ha, costs, versions, stateBridge: deps.stateBridge });
  traces.attachRules((agent) => rules.ruleOf(agent));
  const pipeline: PipelineDeps = {
    clock,
    llm,
    ha,
    topics: deps.topics,
    ...(deps.bus ? { root: deps.bus.root } : {}),
    ...(deps.bus?.externalReads ? { externalReads: deps.bus.externalReads } : {}),
    agentExists: (name) => system.get(name) !== undefined || spawner.list().some((a) => a.name === name),
    ...(deps.llmTimeoutMs !== undefined ? { llmTimeoutMs: deps.llmTimeoutMs } : {}),
    ...(deps.chatTargets ? { chatTargets: deps.chatTargets } : {}),
    ...(deps.stateBridge ? { stateBridge: deps.stateBridge } : {}),
    get timezone() {
      return timezone();
    },
  };
  const editor = new RuleEditor({
    db,
    store: ruleStore,
    versions,
    spawner,
    clock,
    refresh: (rule) => rules.refresh(rule),
    find: (ref) => rules.find(ref),
    // The rule's own agents are swapped, so their names are not "taken".
    revalidate: (plan, rule) => revalidatePlan(plan, { ...pipeline, agentExists: (name) => !rule.agents.some((a) => a.config.name === name) && (pipeline.agentExists?.(name) ?? false) }),
  });
  const plans = new PlansManager({ store: new ProposalStore(db), rules, spawner, clock, timezone, pipeline, editor });
  const planner = new Planner({
    system,
    plans,
    ...(deps.deadlineMs !== undefined ? { deadlineMs: deps.deadlineMs } : {}),
    task: {
      clock,
      llm,
      agents,
      spawner,
      executor: deps.executor ?? new SystemStepExecutor(system),
      cache,
      ...(deps.stepTimeoutMs !== undefined ? { stepTimeoutMs: deps.stepTimeoutMs } : {}),
      ...(deps.llmTimeoutMs !== undefined ? { llmTimeoutMs: deps.llmTimeoutMs } : {}),
    },
  });
  return {
    planner,
    plans,
    rules,
    cache,
    intents: plannerIntentHandlers(planner, plans),
    http: { rules: rulesService(rules, editor), plans: plansService(plans, cache) },
    editor,
    traces,
    async start() {
      traces.start();
      await rules.start();
      plans.start();
    },
    stop() {
      plans.stop();
      rules.stop();
      traces.flush();
    },
  };
}
