// The AgentSpawner implementation and its assembly; callers depend on ./agent-spawner.ts only.
export { createAgentRuntime, type AgentRuntime, type AgentRuntimeDeps } from './assemble.ts';
export { Spawner, type SpawnerOptions } from './spawner.ts';
export { AgentSupervision, type SupervisionOptions } from './supervision.ts';
export { SpawnMetaStore, type SpawnMeta } from './meta-store.ts';
export { remoteUnavailable, type RemoteNodes } from './remote.ts';
