// The LLM layer's public face. Other areas import from here, not from the files inside.
export { createLlm, type LlmDeps } from './create.ts';
export { LlmService, type LlmRequest, type LlmResult, type LlmStreamEvent, type Route } from './service.ts';
export { LlmError, type LlmErrorKind } from './errors.ts';
export { CALL_SITES, CallSiteSchema, DEFAULT_MODELS, parseModelRef, formatModelRef, type CallSite, type ModelRef } from './models.ts';
export * from './messages.ts';
export type { Usage, StopReason, ProviderName, LlmProvider, StreamDelta } from './types.ts';
export { PRICES, priceFor, costOf, type Price } from './pricing.ts';
export type { LlmLedger, LedgerEntry, LedgerQuery, LedgerReport, LedgerTotals, LedgerGroupBy } from './ledger.ts';
export { refusalMessage, type LlmBudget, type BudgetCaps, type BudgetEvent, type BudgetStatus, type PeriodStatus } from './budget.ts';
export { BUDGET_PERIODS, type BudgetPeriod, type LedgerPeriod } from './periods.ts';
export { LlmConversation, DEFAULT_SUMMARY_THRESHOLD, type LlmConversationOptions, type ExchangeOptions } from './conversation/conversation.ts';
export { ConversationStore, type Summary } from './conversation/store.ts';
export { sanitizeHistory } from './conversation/sanitize.ts';
