// Dynamic agents: LLM-written code running live in the sandbox. See README.md.
export { DynamicAgent, type DynamicAgentOptions, type DynamicConfig } from './dynamic-agent.ts';
export { dynamicAgentFactory, type DynamicFactoryDeps } from './factory.ts';
export { DynamicAgentHost, type HostContext } from './host.ts';
export { HaNotifier, type Notifier, type HaNotifierOptions } from './notifier.ts';
export { TaskFailed, isTaskFailed, wrapTask, unwrapTask } from './agent-task.ts';
export { publishTarget, subscribeFilter, relativeTopic, AgentTopicError } from './agent-topics.ts';
export { SENSITIVE_GRANT, isGrant, sensitiveTargets } from '../../ha/sensitive-calls.ts';
export type { AgentServices } from './services.ts';
