// The HA agents in a running system: the long-lived ones (state bridge, home-assistant-agent,
// map agent) under one `ha` supervisor, the factories of the spawnable kinds (ha_actuator,
// scheduled) for the AgentSpawner, the map service for GET /api/ha-map and the orchestrator's
// intent handlers.
import type { Supervisor } from '../../core/supervisor.ts';
import type { ActorSystem } from '../../core/system.ts';
import type { HaClient } from '../../ha/client.ts';
import type { HaMapService } from '../../contract/services.ts';
import type { AgentTypeFactory } from '../spawner/agent-spawner.ts';
import type { AgentSupervision } from '../spawner/supervision.ts';
import { haActuatorFactory } from './actuator/factory.ts';
import { HA_AGENT_NAME, HomeAssistantAgent } from './assistant/ha-agent.ts';
import { haIntentHandlers, type HaIntentHandlers } from './intents.ts';
import { HaMapAgent, HaMapStore, MAP_AGENT_NAME } from './map/map-agent.ts';
import type { HaLlm } from './one-off/resolve.ts';
import { PendingConfirmations } from './pending.ts';
import { scheduledFactory } from './scheduled/factory.ts';
import type { ChatNotify } from './service-calls.ts';
import type { TraceSink } from './trace.ts';
import { HaStateBridge, STATE_BRIDGE_NAME, type StateBridgeScope } from './state-bridge.ts';

export interface HaAgentsOptions {
  system: ActorSystem;
  ha: HaClient;
  llm?: HaLlm;
  /** What the state bridge publishes (add-on options ha_bridge_*); absent: every domain, per entity. */
  stateBridge?: StateBridgeScope;
  map?: { maxChunkBytes?: number; debounceMs?: number };
  confirmationTtlMs?: number;
  callTimeoutMs?: number;
}

export interface SpawnFactoryOptions {
  /** The spawner's per-agent supervision (AgentRuntime.supervision). */
  supervision?: AgentSupervision;
  /** Otherwise: a supervisor for the spawned HA agents (the root when not given). */
  supervisor?: Supervisor;
  /** Removes a retired `once` agent for good (the spawner's delete). */
  retire?: (name: string) => Promise<unknown>;
  graceMs?: number;
  /** Where rule agents trace their evaluations (the planner's recorder). */
  traces?: TraceSink;
  /** Where rules' notify.chat_channel actions go (the chat channels). */
  chat?: ChatNotify;
}

export interface HaAgents {
  supervisor: Supervisor;
  mapStore: HaMapStore;
  /** For the HTTP API's GET /api/ha-map (404 until the first snapshot). */
  mapService: HaMapService;
  pending: PendingConfirmations;
  /** actuate / ha / followUp for the orchestrator. */
  intents: HaIntentHandlers;
  /** The ha_actuator and scheduled factories, to register with the AgentSpawner. */
  factories(options?: SpawnFactoryOptions): AgentTypeFactory[];
  stop(): Promise<void>;
}

export async function startHaAgents(opts: HaAgentsOptions): Promise<HaAgents> {
  const { system, ha } = opts;
  const mapStore = new HaMapStore();
  const pending = new PendingConfirmations(system.clock, opts.confirmationTtlMs);
  const supervisor = system.supervisor.addSupervisor({ name: 'ha', strategy: 'one_for_one', maxRestarts: 5, periodMs: 60_000, restartDelayMs: 1_000 });
  // Added before the supervisor starts, so start() below brings them up in order and waits for them.
  void supervisor.supervise({ name: STATE_BRIDGE_NAME, factory: () => new HaStateBridge({ ha, ...opts.stateBridge }) });
  void supervisor.supervise({ name: HA_AGENT_NAME, factory: () => new HomeAssistantAgent({ ha, llm: opts.llm }) });
  void supervisor.supervise({ name: MAP_AGENT_NAME, factory: () => new HaMapAgent({ ha, store: mapStore, ...opts.map }) });
  await supervisor.start();
  return {
    supervisor,
    mapStore,
    mapService: mapStore.service(),
    pending,
    intents: haIntentHandlers({ system, ha, llm: opts.llm, pending, callTimeoutMs: opts.callTimeoutMs }),
    factories: (f = {}) => {
      const host = { system, ha, supervision: f.supervision, supervisor: f.supervisor, callTimeoutMs: opts.callTimeoutMs, traces: f.traces, chat: f.chat };
      return [haActuatorFactory(host), scheduledFactory({ ...host, retire: f.retire, graceMs: f.graceMs })] as AgentTypeFactory[];
    },
    stop: () => supervisor.stop(),
  };
}
