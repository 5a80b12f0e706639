// The effective configuration as MCP shows it: the settings service's non-secret view, with the
// budget caps as they are now (the owner may have changed them in the panel since start-up, and
// the budget service holds the caps in force).
import type { EffectiveConfig } from '../../contract/effective-config.ts';
import type { Services } from '../../contract/services.ts';
import { need } from './results.ts';

export async function effectiveConfig(services: Partial<Services>): Promise<EffectiveConfig> {
  const config = await need(services.settings, 'The configuration').effective();
  if (!services.budget) return config;
  const budget = await services.budget.get();
  return { ...config, budget: { daily_usd: budget.daily_usd, weekly_usd: budget.weekly_usd, monthly_usd: budget.monthly_usd } };
}
