// The panel's view of the API: the server's zod-inferred types, imported as types only (erased
// at build time, so no zod reaches the bundle). One definition serves both sides.
export type { Agent, AgentCommand, AgentDetail, AgentGrants, AgentLogLine, AgentState, GrantPreview } from '../../../server/src/contract/agents.ts';
export type { ChatEvent, ChatMessage, ChatResponse, Conversation, ConversationSummary } from '../../../server/src/contract/chat.ts';
export type { Budget, BudgetUpdate, CostPeriod, CostPoint, CostReport } from '../../../server/src/contract/cost.ts';
export type { MemoryClearResult, MemoryFact } from '../../../server/src/contract/memory.ts';
export type { BrokenRecipeInfo, BrokenRecipes, RecipeInfo, RecipeParameterInfo, RecipeSpawnRequest, RecipeSpawnResponse } from '../../../server/src/contract/recipes.ts';
export type { NodeInfo } from '../../../server/src/contract/nodes.ts';
export type { Plan, PlanAgent } from '../../../server/src/contract/plans.ts';
export type { Rule, RuleTrace, RuleTraceOutcome, RuleTraceStep } from '../../../server/src/contract/rules.ts';
export type { PlanChange, RuleRollbackResult, RuleVersion } from '../../../server/src/contract/rule-versions.ts';
export type { TopicInfo } from '../../../server/src/contract/topics.ts';
export type { Identity } from '../../../server/src/contract/identity.ts';
export type { LiveEvent } from '../../../server/src/contract/live-events.ts';
export type { ClientMessage, ServerMessage } from '../../../server/src/contract/ws-protocol.ts';
