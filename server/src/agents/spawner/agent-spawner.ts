// The contract between whoever asks for an agent (the orchestrator reading <spawn> blocks, the
// planner, the catalog, the HTTP API, restore at start) and the code that creates it. The
// implementation lives in agents/spawner/; callers depend only on this file.
import type { SpawnConfig, SpawnType } from '../spawn-config/config-schema.ts';

/** Who asked. `trusted` and other relaxed modes can only come from `user` (never `llm`). */
export type SpawnOrigin =
  | { by: 'llm'; conversationId?: string }
  /** `grants`: sensitive scopes the user confirmed for this agent (e.g. `ha:sensitive:lock.front_door`). */
  | { by: 'user'; userId?: string; grants?: readonly string[] }
  /**
   * `confirmed`: the user approved this plan knowing what it does. Set only at approval time; an
   * ha_actuator or scheduled agent acting on a lock, an alarm panel or a garage/door cover refuses
   * to start without it (or without `by: 'user'`).
   */
  | { by: 'planner'; ruleId?: string; planId?: string; confirmed?: boolean }
  /** `scopes`: the SDK scopes the recipe declares; the agent is granted these only. */
  | { by: 'catalog'; recipe: string; scopes?: readonly string[] }
  | { by: 'restore' };

export interface SpawnOutcome {
  /** `reused`: an agent of that name was running and `replace` was not set. */
  status: 'spawned' | 'reused' | 'replaced';
  id: string;
  name: string;
  type: SpawnType;
  /** Remote node name when the agent runs on a satellite. */
  node?: string;
  /** Non-fatal notes for the user (validator warnings, `install` not available, ...). */
  warnings: string[];
}

/** A spawn that could not happen. `message` says what is wrong in words a user can act on. */
export class SpawnError extends Error {
  override readonly name = 'SpawnError';
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

export interface SpawnedAgentInfo {
  id: string;
  name: string;
  type: SpawnType;
  node?: string;
  description?: string;
  ruleId?: string;
  createdAt: string;
}

/** Builds the live actor for one spawn type; registered by each area (dynamic, llm, ha, ...). */
export interface AgentTypeFactory<C extends SpawnConfig = SpawnConfig> {
  readonly type: C['type'];
  /** Static checks before anything starts (entity ids, services, code compiles...). */
  validate?(config: C): Promise<string[]> | string[];
  /**
   * Starts the agent under supervision and returns its actor id; `config` when what started differs
   * from what was asked (self-correction fixed the code): the registry saves that one.
   */
  start(config: C, origin: SpawnOrigin): Promise<{ id: string; warnings?: string[]; config?: C }>;
}

/** An agent's grants after the owner changed them. */
export interface GrantsOutcome {
  name: string;
  grants: string[];
  /** The agent was running and was restarted so its sandbox has the new scope. */
  restarted: boolean;
}

export interface AgentSpawner {
  /** Validates, starts, and saves to the spawn registry. Nothing half-spawned is left on error. */
  spawn(config: SpawnConfig, origin: SpawnOrigin): Promise<SpawnOutcome>;
  /** Stops the agent and removes it from the registry for good. False when no such agent. */
  delete(name: string): Promise<boolean>;
  /** Every agent in the spawn registry (running or not). */
  list(): SpawnedAgentInfo[];
  /** Re-creates every registered agent (at start); failures are reported, not thrown. */
  restoreAll(): Promise<{ restored: string[]; failed: { name: string; error: string }[] }>;
  registerType(factory: AgentTypeFactory): void;
  /** The owner's grants of a spawned agent (ha:sensitive...); undefined when no such agent. */
  grantsOf?(name: string): string[] | undefined;
  /**
   * Replaces a spawned agent's grants (the user's alone) and restarts it if it runs, so its sandbox
   * has the new scope; a failed restart brings it back with the old grants. Throws SpawnError.
   */
  setGrants?(name: string, grants: readonly string[], origin: Extract<SpawnOrigin, { by: 'user' }>): Promise<GrantsOutcome>;
}
