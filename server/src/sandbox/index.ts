// The sandbox for LLM-written agents: one isolated-vm isolate per agent, the SDK registry as the
// only way out, limits around every entry. See agent.ts for the lifecycle and types.ts for the
// AgentHost an integrator implements.
export { SandboxedAgent, type SandboxedAgentOptions, type SandboxStats, type SandboxStatus } from './agent.ts';
export { SandboxError, SdkError } from './errors.ts';
export { createHttpFetcher, type HttpFetcher, type HttpResponseData } from './fetch/fetcher.ts';
export { createFetchPolicy, DEFAULT_BLOCKED_HOSTS, type FetchPolicy, type FetchPolicyOptions } from './fetch/policy.ts';
export { installPackages, type InstallResult } from './install.ts';
export { DEFAULT_LIMITS, resolveLimits, type SandboxLimits } from './limits.ts';
export { SDK_FUNCTIONS } from './sdk/index.ts';
export { SDK_REFERENCE, sdkReference } from './sdk/reference.ts';
export { startWithSelfCorrection, type CorrectionAttempt, type FixCode, type StartResult } from './self-correct.ts';
export * from './types.ts';
export { checkAgentCode, formatIssue, lintAgentCode, normalizeAgentCode, type CodeCheck, type CodeIssue } from './validate.ts';
