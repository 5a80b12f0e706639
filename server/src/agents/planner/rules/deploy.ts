// Turning an approved plan into a running rule: spawn every agent through the AgentSpawner
// (origin planner, with the rule id, and `confirmed` because the user approved it knowing its
// sensitive actions) and build the Rule; RulesManager.add saves it and re-publishes the states its
// triggers watch. A spawn that fails removes the agents already started: no rule is ever
// half-deployed.
import type { SpawnOrigin } from '../../spawner/agent-spawner.ts';
import { errorText } from '../deadline.ts';
import type { SpawnPort } from '../ports.ts';
import type { ProposalPlan } from '../proposals/proposal.ts';
import type { BacktestResult } from '../backtest/backtest.ts';
import type { Rule } from './rule.ts';

export interface DeployRequest {
  ruleId: string;
  planId?: string;
  text: string;
  plan: ProposalPlan;
  backtest?: BacktestResult;
  /** The user approved (false for bypass prefixes, which cannot confirm sensitive actions). */
  confirmed: boolean;
  now: number;
}

export type DeployResult = { ok: true; rule: Rule; warnings: string[] } | { ok: false; error: string };

export async function deployRule(req: DeployRequest, spawner: SpawnPort): Promise<DeployResult> {
  const origin: SpawnOrigin = { by: 'planner', ruleId: req.ruleId, ...(req.planId ? { planId: req.planId } : {}), ...(req.confirmed ? { confirmed: true } : {}) };
  const started: string[] = [];
  const warnings: string[] = [];
  for (const a of req.plan.agents) {
    try {
      const outcome = await spawner.spawn(a.config, origin);
      if (outcome.status === 'reused') {
        throw new Error(`an agent named ${a.config.name} is already running and belongs to something else`);
      }
      started.push(a.config.name);
      warnings.push(...outcome.warnings);
    } catch (err) {
      for (const name of started.reverse()) await spawner.delete(name).catch(() => false);
      return { ok: false, error: `could not start ${a.config.name}: ${errorText(err)}` };
    }
  }
  const rule: Rule = {
    id: req.ruleId,
    text: req.text,
    title: req.plan.title,
    pattern: req.plan.pattern,
    proposalId: req.planId,
    agents: req.plan.agents.map((a) => ({ config: a.config, description: a.description })),
    enabled: true,
    createdAt: req.now,
    updatedAt: req.now,
    lastFiredAt: undefined,
    fireCount: 0,
    backtest: req.backtest,
  };
  return { ok: true, rule, warnings };
}
