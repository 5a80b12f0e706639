// The panel's view of the API: the server's zod-inferred types, imported as types only (erased
// at build time, so no zod reaches the bundle). One definition serves both sides.
export type { Agent, AgentCommand, AgentDetail, AgentLogLine, AgentState } from '../../../server/src/http/models/agents.ts';
export type { ChatEvent, ChatMessage, ChatResponse, Conversation, ConversationSummary } from '../../../server/src/http/models/chat.ts';
export type { Budget, BudgetUpdate, CostPeriod, CostPoint, CostReport } from '../../../server/src/http/models/cost.ts';
export type { MemoryFact } from '../../../server/src/http/models/memory.ts';
export type { NodeInfo } from '../../../server/src/http/models/nodes.ts';
export type { Plan, PlanAgent } from '../../../server/src/http/models/plans.ts';
export type { Rule } from '../../../server/src/http/models/rules.ts';
export type { TopicInfo } from '../../../server/src/http/models/topics.ts';
export type { Identity } from '../../../server/src/http/access-policy.ts';
export type { LiveEvent } from '../../../server/src/http/live-events.ts';
export type { ClientMessage, ServerMessage } from '../../../server/src/http/ws-protocol.ts';
