// Agents, rules and a budget as the API shows them, for the discovery bridge's tests.
import type { Agent } from '../../../../server/src/contract/agents.ts';
import type { Budget } from '../../../../server/src/contract/cost.ts';
import type { Rule } from '../../../../server/src/contract/rules.ts';

export function agent(name: string, over: Partial<Agent> = {}): Agent {
  return { id: `${name}-id`, name, type: 'dynamic', state: 'running', node: 'local', description: '', last_heartbeat: null, cost_usd: 0.0123, messages_processed: 3, errors: 1, started_at: null, protected: false, ...over };
}

export function rule(id: string, over: Partial<Rule> = {}): Rule {
  return { id, name: `Rule ${id}`, description: '', enabled: true, status: 'active', agents: [], created_at: '2026-01-01T00:00:00.000Z', last_fired_at: null, fire_count: 0, backtest: null, error: null, cost_usd: 0, cost_today_usd: 0, ...over };
}

export const budget: Budget = { daily_usd: 2, weekly_usd: null, monthly_usd: null, spent: { day: 0.5, week: 0.5, month: 0.5 }, fallback: null, exhausted: false };
