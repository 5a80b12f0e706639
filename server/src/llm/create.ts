// Assembles the LLM layer from the configuration: providers (lazy), ledger, budget, service.
import type { LlmConfig } from '../config/types.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../store/database.ts';
import { LlmBudget } from './budget.ts';
import { LlmLedger } from './ledger.ts';
import { ProviderRegistry } from './providers/registry.ts';
import type { ResilienceOptions, Sleep } from './resilience.ts';
import { LlmService } from './service.ts';
import type { LlmProvider, ProviderName } from './types.ts';

export interface LlmDeps {
  db: Db;
  clock?: Clock;
  logger?: Logger;
  /** How retry backoffs wait (default: the clock). */
  sleep?: Sleep;
  /** Retry and timeout settings; see resilience.ts for the defaults. */
  resilience?: Omit<ResilienceOptions, 'clock' | 'sleep'>;
  /** Replaces the real adapters (tests of the service logic alone). */
  makeProvider?: (name: ProviderName) => LlmProvider;
  /** Budget warning threshold (default 0.8). */
  warnAt?: number;
}

export function createLlm(config: LlmConfig, deps: LlmDeps): LlmService {
  const clock = deps.clock ?? systemClock;
  const onListenerError = (err: unknown) => deps.logger?.error({ err }, 'LLM listener failed');
  const ledger = new LlmLedger(deps.db, clock);
  const budget = new LlmBudget({ db: deps.db, ledger, clock, config: config.budget, onListenerError, ...(deps.warnAt !== undefined ? { warnAt: deps.warnAt } : {}) });
  const providers = new ProviderRegistry(config, { ...deps.resilience, clock, ...(deps.sleep ? { sleep: deps.sleep } : {}) }, deps.makeProvider);
  return new LlmService({ config, providers, ledger, budget, clock, onListenerError });
}
