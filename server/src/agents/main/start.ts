// The orchestrator side of the process, in two steps because the monitor must watch from the
// start while the orchestrator needs every other area first:
//   startMonitor()       the protected `monitor` under the root supervisor, with the queue where
//                        its notices wait for the next answer;
//   startOrchestrator()  the Orchestrator, built whole once the planner, the HA agents, the
//                        spawner and the nodes exist, `main` as a protected actor, and the
//                        ChatService the HTTP API uses.
import type { ActorSystem } from '../../core/system.ts';
import type { ChatService } from '../../contract/services.ts';
import { MonitorAgent, MONITOR_ACTOR_NAME, type MonitorOptions } from '../monitor/monitor-agent.ts';
import { systemTarget } from '../monitor/target.ts';
import { createChatService } from '../../services/chat.ts';
import { MainActor, MAIN_ACTOR_NAME } from './main-actor.ts';
import { NotificationQueue } from './notification-queue.ts';
import { Orchestrator, type OrchestratorDeps } from './orchestrator.ts';

/** Starts the monitor; its notices wait in the returned queue for the orchestrator. */
export async function startMonitor(system: ActorSystem, options?: MonitorOptions): Promise<NotificationQueue> {
  const notifications = new NotificationQueue();
  await system.supervisor.supervise({
    name: MONITOR_ACTOR_NAME,
    factory: () => new MonitorAgent({ sink: notifications, target: systemTarget(system), ...(options ? { options } : {}) }),
  });
  return notifications;
}

export interface OrchestratorRuntime {
  readonly orchestrator: Orchestrator;
  /** The HTTP API's ChatService over `orchestrator.process`. */
  readonly chat: ChatService;
  stop(): Promise<void>;
}

export async function startOrchestrator(deps: OrchestratorDeps): Promise<OrchestratorRuntime> {
  const orchestrator = new Orchestrator(deps);
  await deps.system.supervisor.supervise({ name: MAIN_ACTOR_NAME, factory: () => new MainActor(orchestrator) });
  return {
    orchestrator,
    chat: createChatService(orchestrator),
    stop: () => orchestrator.stop(),
  };
}
