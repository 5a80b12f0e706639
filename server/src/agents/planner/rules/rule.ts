// A reactive rule: an approved pipeline running as agents. The rule keeps its agents' spawn
// configs so it can start them again when re-enabled, and re-publish the states they watch.
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import type { BacktestResult } from '../backtest/backtest.ts';
import type { Pattern } from '../pipeline/pipeline-plan.ts';
import type { LiveState } from '../ports.ts';

export interface RuleAgent {
  config: SpawnConfig;
  description: string;
}

export interface Rule {
  id: string;
  /** The user's request, as approved. */
  text: string;
  title: string;
  pattern: Pattern | undefined;
  proposalId: string | undefined;
  agents: RuleAgent[];
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  lastFiredAt: number | undefined;
  fireCount: number;
  backtest: BacktestResult | undefined;
}

export type RuleStatus = 'active' | 'disabled' | 'degraded' | 'failed';

export interface RuleView extends Rule {
  status: RuleStatus;
  agentStates: { name: string; type: SpawnConfig['type']; state: LiveState }[];
  /** LLM spend of its agents in USD (the ledger's rows with this rule): ever, and today. */
  cost: { totalUsd: number; todayUsd: number };
}

export function ruleStatus(enabled: boolean, states: readonly LiveState[]): RuleStatus {
  if (!enabled) return 'disabled';
  const up = states.filter((s) => s === 'running').length;
  if (up === states.length) return 'active';
  return up === 0 ? 'failed' : 'degraded';
}

/** Rule ids are short so people can type `/rules delete 3fa2c1d0`. */
export function newRuleId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 8);
}
