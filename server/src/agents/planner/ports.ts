// The planner's boundaries. Inward: what it needs from the rest of the system (agents, spawning,
// executing a step). Outward: the planner's own, richer ports (Planner, PlansPort, RulesPort).
// The orchestrator and the HTTP API use the contract's interfaces (main/intents.ts
// IntentHandlers, contract/services.ts RulesService/PlansService); intent-handlers.ts and
// services/planner.ts implement those over these.
import type { AgentSpawner } from '../spawner/agent-spawner.ts';
import type { ProposalView } from './proposals/proposal.ts';
import type { RuleView } from './rules/rule.ts';
import type { StepResult } from './task/task-runner.ts';

// ---- inward ----

export type LiveState = 'created' | 'running' | 'paused' | 'stopped' | 'failed' | 'missing';

export interface WorkerAgentInfo {
  name: string;
  type: string;
  description: string;
  capabilities: string[];
}

/** The agents the planner may plan with, and their live state. */
export interface AgentDirectory {
  /** Worker agents (not infrastructure actors such as main or the monitor). */
  list(): WorkerAgentInfo[];
  isRunning(name: string): boolean;
  state(name: string): LiveState;
  /** Stops an agent without forgetting it (a disabled rule). False when it was not running. */
  stop(name: string): Promise<boolean>;
  /** An actor id -> its agent name (actuations are published under the id). */
  nameOf?(id: string): string | undefined;
}

/** What the planner uses of the AgentSpawner (agents/spawner/agent-spawner.ts). */
export type SpawnPort = Pick<AgentSpawner, 'spawn' | 'delete' | 'list'>;

export interface StepRequest {
  task: string;
  /** Outputs of the steps this one depends on, by step id. */
  inputs: Record<string, string>;
  /** task and inputs as one text, for agents that take text. */
  text: string;
}

/** Hands one step to a worker agent and resolves with its answer. */
export interface StepExecutor {
  execute(agent: string, request: StepRequest, signal: AbortSignal): Promise<unknown>;
}

// ---- outward: the orchestrator ----

/** task: plan:/coordinate: (decompose and answer); pipeline: a reactive rule; auto: decide from the text. */
export type PlannerMode = 'task' | 'pipeline' | 'auto';

export interface PlannerRequest {
  text: string;
  mode: PlannerMode;
  /** pipeline!, coordinate!, @planner!: deploy without a pending proposal. */
  bypassApproval?: boolean;
  /** The text asks to change this running rule: an edit proposal drafted from its running version. */
  editOf?: string;
  conversationId?: string;
  userId?: string;
  signal?: AbortSignal;
}

export type PlannerOutcome =
  | { kind: 'answer'; text: string; steps: StepResult[]; cached: boolean }
  | { kind: 'proposal'; text: string; proposal: ProposalView }
  | { kind: 'rule'; text: string; rule: RuleView }
  /** The home lacks what the request needs, or the plan could not be made valid. */
  | { kind: 'refused'; text: string; errors: string[] }
  | { kind: 'error'; text: string };

export interface Planner {
  /** Always settles: an overall deadline bounds every request, and the planner actor removes itself. */
  handle(request: PlannerRequest): Promise<PlannerOutcome>;
}

export interface ReplyContext {
  conversationId?: string;
  userId?: string;
  signal?: AbortSignal;
}

/** /plans and the conversational approval flow. */
export interface PlansPort {
  list(filter?: { status?: ProposalView['status']; conversationId?: string }): ProposalView[];
  get(id: string): ProposalView | undefined;
  /** Spawns the plan's agents and saves its rule (the plan must be pending and valid). */
  approve(id: string, by?: { userId?: string }): Promise<PlannerOutcome>;
  reject(id: string, reason?: string): PlannerOutcome;
  /** Re-plans with a correction; the old proposal becomes superseded. */
  correct(id: string, correction: string, ctx?: ReplyContext): Promise<PlannerOutcome>;
  /**
   * A chat message while a plan of this conversation is pending: "yes"/"approve" approves, "no"
   * rejects, a correction supersedes and re-plans. undefined: not a reply to the plan.
   */
  handleReply(text: string, ctx: ReplyContext): Promise<PlannerOutcome | undefined>;
  /** A warning to show with a spawn-like request made while a plan is pending; undefined otherwise. */
  pendingWarning(text: string, ctx: ReplyContext): string | undefined;
  /** True while a plan of this conversation waits for the person's answer. */
  isWaiting(ctx: ReplyContext): boolean;
  /** Text for `/plans`, `/plans show <id>`. */
  format(id?: string): string;
  /**
   * Whether a message asks to change a running rule ("make the porch rule only after sunset", "use
   * 30 minutes instead of 10" after a rule was made here): the rule, or why it cannot be told.
   */
  editTarget(text: string, ctx: ReplyContext, options?: { explicit?: boolean }): { kind: 'edit'; ruleId: string } | { kind: 'answer'; text: string } | undefined;
}

/** /rules. */
export interface RulesPort {
  list(): RuleView[];
  get(id: string): RuleView | undefined;
  /** Stops and forgets every agent of the rule, then the rule. */
  delete(id: string): Promise<boolean>;
  /** Disabled rules keep their agents registered but stopped; enabling starts them again. */
  setEnabled(id: string, enabled: boolean): Promise<RuleView | undefined>;
  /** Text for `/rules`. */
  format(): string;
}
