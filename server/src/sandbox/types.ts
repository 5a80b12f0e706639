// The contract between a sandboxed agent and the rest of the system. The sandbox never reaches the
// actor system, the MQTT bus, the LLM service or Home Assistant itself: it calls one AgentHost,
// bound to one agent, which the integrator implements with the real services. Everything that
// arrives here has been scope-checked and validated, and is a fresh JSON value.
import type { AlertSeverity, HaServiceCall, Json, JsonObject, LlmChatRequest, LogLevel, Notification, WindowOptions, WindowQuery } from './schemas.ts';

export type { AlertSeverity, HaServiceCall, Json, JsonObject, LlmChatRequest, LogLevel, Notification, WindowOptions, WindowQuery };

/** What an agent may be granted; each SDK function names the one it needs. */
export const SCOPES = [
  'log', 'alert', 'publish', 'subscribe', 'persist', 'llm', 'agents', 'window', 'contract',
  'ha:read', 'ha:write', 'ha:camera', 'http', 'notify',
] as const;
export type Scope = (typeof SCOPES)[number];

/** The grant of an ordinary LLM-spawned agent. Narrower grants come from the spawn protocol. */
export const DEFAULT_SCOPES: readonly Scope[] = SCOPES;

export interface BusMessage {
  topic: string;
  payload: Json;
}

export type Unsubscribe = () => void;

export interface AgentSummary {
  name: string;
  type: string;
  status: string;
  description?: string;
}

export interface HaEntityState {
  entity_id: string;
  state: string;
  attributes: JsonObject;
  last_changed?: string;
  last_updated?: string;
}

export interface CameraSnapshot {
  contentType: string;
  dataBase64: string;
}

/** A StreamWindow held by the host; the isolate only ever sees a numeric id for it. */
export interface HostWindow {
  query(query: WindowQuery): Json;
  close(): void;
}

export interface SendOptions {
  /** How many agent-to-agent hops led here, this one included (the sandbox enforces the limit). */
  hops: number;
  signal: AbortSignal;
}

export type SandboxPhase =
  | 'compile' // parsing the agent's code
  | 'load' // running its top-level statements
  | 'setup'
  | 'process'
  | 'handleTask'
  | 'cleanup'
  | 'subscription' // a subscribe() callback
  | 'continuation' // agent code resumed after an awaited SDK call
  | 'sdk' // an SDK call refused (limit, scope)
  | 'isolate'; // the isolate itself (memory limit, disposal)

/**
 * warning: something was dropped or refused, the agent keeps working.
 * error: a hook failed or ran out of time; the agent is intact.
 * critical: agent code ran away (CPU limit); the isolate survives but the agent's work was cut.
 * fatal: the isolate is gone (memory limit or disposal); only a restart brings the agent back.
 */
export type SandboxSeverity = 'warning' | 'error' | 'critical' | 'fatal';

export interface SandboxErrorEvent {
  phase: SandboxPhase;
  severity: SandboxSeverity;
  message: string;
}

/** One per agent. Methods used by cheap (synchronous) SDK calls must not return promises. */
export interface AgentHost {
  /** Filters outside the system root the owner lets agents read, as they are (mqtt_read_topics); absent: none. */
  readonly externalReads?: readonly string[];
  /** One agent log line (after the sandbox's rate limit). */
  log(level: LogLevel, message: string): void;
  alert(message: string, severity: AlertSeverity): void;
  /** A step in the trace of the agent's rule (agent.trace); absent where no rule is traced (edge runner). */
  trace?(label: string, detail: string | undefined): void;
  /** Limit hits, hook failures and isolate loss, for the agent's supervisor to act on. */
  reportError(event: SandboxErrorEvent): void;
  publish(topic: string, payload: Json): Promise<void>;
  /** Registers a listener; the sandbox queues deliveries into the isolate one at a time. */
  subscribe(filter: string, onMessage: (message: BusMessage) => void): Unsubscribe;
  /** Durable per-agent key/value (synchronous: SQLite). */
  persist(key: string, value: Json): void;
  recall(key: string): Json | undefined;
  /** The reply text. The host applies budgets and picks the model. */
  llmChat(request: LlmChatRequest, signal: AbortSignal): Promise<string>;
  /** Asks another agent by name and resolves with its reply. */
  sendTo(target: string, payload: Json, options: SendOptions): Promise<Json>;
  listAgents(): AgentSummary[];
  openWindow(topic: string, options: WindowOptions): HostWindow;
  /** The raw object the agent declared; the host normalises it (TopicBus contract rules). */
  declareContract(contract: JsonObject): void;
  haGetState(entityId: string, signal: AbortSignal): Promise<HaEntityState | null>;
  /** The host decides about sensitive domains (locks, alarms, garage covers) and may refuse. */
  haCallService(call: HaServiceCall, signal: AbortSignal): Promise<Json>;
  haCameraSnapshot(entityId: string, signal: AbortSignal): Promise<CameraSnapshot>;
  notify(notification: Notification, signal: AbortSignal): Promise<void>;
}

export const HOOK_NAMES = ['setup', 'process', 'handleTask', 'cleanup'] as const;
export type HookName = (typeof HOOK_NAMES)[number];
