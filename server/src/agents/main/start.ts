// Starts the orchestrator side of the process: the Orchestrator (process() for every interface),
// `main` and `monitor` as protected actors under the root supervisor, and the ChatService the
// HTTP API plugs in. Areas built later attach with `orchestrator.plug({...})`: the spawner and
// catalog, the planner's rules/plans/intent handlers, the HA agents' intent handlers, nodes.
import type { Bus } from '../../bus/bus.ts';
import type { ActorSystem } from '../../core/system.ts';
import type { HaClient } from '../../ha/client.ts';
import type { ChatService } from '../../http/services.ts';
import type { Logger } from '../../logger.ts';
import type { LlmService } from '../../llm/index.ts';
import type { Db } from '../../store/database.ts';
import { MonitorAgent, MONITOR_ACTOR_NAME, type MonitorOptions } from '../monitor/monitor-agent.ts';
import { systemTarget } from '../monitor/target.ts';
import { createChatService } from './chat-service.ts';
import { MainActor, MAIN_ACTOR_NAME } from './main-actor.ts';
import { Orchestrator, type OrchestratorDeps } from './orchestrator.ts';

export interface StartOrchestratorDeps extends Partial<Omit<OrchestratorDeps, 'db' | 'llm' | 'system' | 'clock'>> {
  db: Db;
  llm: LlmService;
  system: ActorSystem;
  bus?: Bus;
  ha?: HaClient;
  logger?: Logger;
  monitor?: MonitorOptions;
}

export interface OrchestratorRuntime {
  readonly orchestrator: Orchestrator;
  /** The HTTP API's ChatService over `orchestrator.process`. */
  readonly chat: ChatService;
  stop(): Promise<void>;
}

export async function startOrchestrator(deps: StartOrchestratorDeps): Promise<OrchestratorRuntime> {
  const { system, monitor, ...rest } = deps;
  const orchestrator = new Orchestrator({ ...rest, system, clock: system.clock });
  await system.supervisor.supervise({ name: MAIN_ACTOR_NAME, factory: () => new MainActor(orchestrator) });
  await system.supervisor.supervise({
    name: MONITOR_ACTOR_NAME,
    factory: () => new MonitorAgent({ sink: orchestrator.notifications, target: systemTarget(system), ...(monitor ? { options: monitor } : {}) }),
  });
  return {
    orchestrator,
    chat: createChatService(orchestrator),
    stop: () => orchestrator.stop(),
  };
}
