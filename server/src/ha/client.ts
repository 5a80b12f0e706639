// What the rest of Wactorz sees of Home Assistant: one interface, whichever HA it is (the real one
// through the Supervisor, one at HA_URL, or the demo home). Agents read states from the cache,
// registries and config from memory, and act through callService; nothing here hands out a token.
import type { Context, HassEntity, HassEvent, HassServices, HassServiceTarget } from 'home-assistant-js-websocket';
import type { ConnectionState } from '../core/connection-state.ts';
import type { HaHealth } from './health.ts';
import type { EntityChangeListener } from './entity-cache.ts';
import type { AutomationConfig, CameraSnapshot, ConversationOptions, ConversationResult, HistoryEntry, HistoryOptions } from './rest.ts';
import type { HaCoreConfig, HaRegistries, RegistryKind } from './schemas.ts';
import type { HaMode } from './target.ts';

export type { EntityChange, EntityChangeListener } from './entity-cache.ts';
export type { AutomationConfig, CameraSnapshot, ConversationResult, HistoryEntry } from './rest.ts';
export type { HaCoreConfig, HaRegistries, RegistryKind } from './schemas.ts';
export type { HassEntity, HassEvent, HassServiceTarget } from 'home-assistant-js-websocket';

export type Unsubscribe = () => void;

/** One service call, as HA's call_service takes it. */
export interface ServiceCall {
  domain: string;
  service: string;
  /** service_data (entity_id here is accepted too, as HA does). */
  data?: Record<string, unknown>;
  target?: HassServiceTarget;
  /** For services that return data (HA answers service_validation_error otherwise). */
  returnResponse?: boolean;
}

export interface ServiceResult {
  context: Context;
  response?: unknown;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface HaClient {
  readonly mode: HaMode;
  /** Connects (see HaConnection.start: never throws for an unreachable or refusing HA). */
  start(): Promise<void>;
  /** Closes the connection and releases every subscription and timer. */
  stop(): Promise<void>;
  /** For /api/health: mode, state, HA version, last error. */
  health(): HaHealth;
  connectionState(): ConnectionState;
  onConnectionState(listener: (state: ConnectionState) => void): Unsubscribe;
  /** Resolves once connected with states, registries, services and config loaded. */
  ready(signal?: AbortSignal): Promise<void>;

  // --- entity states: the one in-memory cache ---
  getState(entityId: string): HassEntity | undefined;
  states(): HassEntity[];
  /** Every add/change/remove of an entity state (derived from subscribe_entities). */
  onStateChange(listener: EntityChangeListener): Unsubscribe;

  // --- what HA is ---
  /** get_config (time zone, location, version); undefined before the first connection. */
  config(): HaCoreConfig | undefined;
  services(): HassServices;
  hasService(domain: string, service: string): boolean;
  registries(): HaRegistries;
  onRegistryChange(listener: (kind: RegistryKind) => void): Unsubscribe;

  // --- acting and listening ---
  /** Fails with HaError: not_connected, unknown_service, unknown_entity, or HA's own error. */
  callService(call: ServiceCall, options?: CallOptions): Promise<ServiceResult>;
  /** Raw HA events (all, or one type); survives reconnects. */
  subscribeEvents(listener: (event: HassEvent) => void, eventType?: string): Promise<() => Promise<void>>;
  /** Any other WebSocket command ({type, ...}); the result, or an HaError. */
  command<T>(message: { type: string; [key: string]: unknown }, options?: CallOptions): Promise<T>;

  // --- REST ---
  cameraSnapshot(entityId: string, signal?: AbortSignal): Promise<CameraSnapshot>;
  getAutomationConfig(id: string, signal?: AbortSignal): Promise<AutomationConfig | undefined>;
  saveAutomationConfig(id: string, config: AutomationConfig, signal?: AbortSignal): Promise<void>;
  deleteAutomationConfig(id: string, signal?: AbortSignal): Promise<void>;
  history(options: HistoryOptions): Promise<HistoryEntry[][]>;
  /** HA's own conversation agent (Assist without an LLM). */
  conversation(text: string, options?: ConversationOptions): Promise<ConversationResult>;
}
