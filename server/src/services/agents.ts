// AgentsService for the API: the live actors of the system joined with the spawn registry
// (description, node) and the ledger (cost per agent). Lifecycle commands go through the same
// entry point as MQTT commands, so protected actors refuse them the same way everywhere.
import { randomUUID } from 'node:crypto';
import type { AgentSpawner } from '../agents/spawner/agent-spawner.ts';
import { executeCommand } from '../core/commands.ts';
import type { Actor } from '../core/actor.ts';
import type { ActorSystem } from '../core/system.ts';
import type { Agent, AgentCommand, AgentDetail, AgentLogLine } from '../contract/agents.ts';
import { ServiceError } from '../contract/service-error.ts';
import type { AgentsService } from '../contract/services.ts';
import type { LlmLedger } from '../llm/ledger.ts';
import type { AgentLogBuffer } from './agent-logs.ts';

export interface AgentsServiceDeps {
  system: ActorSystem;
  spawner: AgentSpawner | undefined;
  ledger: LlmLedger | undefined;
  logs: AgentLogBuffer;
  /** Name of this node, shown for local agents. */
  nodeName?: string;
}

export function createAgentsService(deps: AgentsServiceDeps): AgentsService {
  const node = deps.nodeName ?? 'local';
  const costs = (): Map<string, number> => {
    const map = new Map<string, number>();
    for (const g of deps.ledger?.report({ period: 'all', groupBy: 'agent' }).groups ?? []) if (g.key) map.set(g.key, g.costUsd);
    return map;
  };
  const registry = () => new Map((deps.spawner?.list() ?? []).map((a) => [a.name, a]));

  const toAgent = (actor: Actor, cost: Map<string, number>, reg: ReturnType<typeof registry>): Agent => {
    const m = actor.metrics();
    const info = reg.get(actor.name);
    return {
      id: actor.id,
      name: actor.name,
      type: info?.type ?? actor.kind,
      state: actor.state,
      node: info?.node ?? node,
      description: info?.description ?? actor.description ?? '',
      last_heartbeat: m.lastHeartbeat !== undefined ? new Date(m.lastHeartbeat).toISOString() : null,
      cost_usd: cost.get(actor.name) ?? 0,
      messages_processed: m.messagesProcessed,
      errors: m.errors,
      started_at: m.startedAt !== undefined ? new Date(m.startedAt).toISOString() : null,
      protected: actor.isProtected,
      problem: problemOf(deps.logs.recent(actor.id)[0]),
    };
  };

  const lifecycle = async (name: string, command: AgentCommand | 'delete'): Promise<boolean> => {
    const actor = deps.system.get(name);
    if (!actor) return false;
    const reply = await executeCommand(deps.system, actor.id, { command, request_id: randomUUID() });
    if (reply.status === 'error') {
      const code = reply.error.code === 'protected' ? 'forbidden' : reply.error.code === 'not_found' ? 'not_found' : 'conflict';
      throw new ServiceError(code, reply.error.message);
    }
    return true;
  };

  return {
    async list() {
      const cost = costs();
      const reg = registry();
      return deps.system.list().map((a) => toAgent(a, cost, reg));
    },
    async get(name) {
      const actor = deps.system.get(name);
      if (!actor) return undefined;
      const detail: AgentDetail = { ...toAgent(actor, costs(), registry()), recent_logs: deps.logs.recent(actor.id) };
      return detail;
    },
    async command(name, command) {
      if (!(await lifecycle(name, command))) return undefined;
      const actor = deps.system.get(name);
      return actor ? toAgent(actor, costs(), registry()) : undefined;
    },
    async delete(name) {
      const actor = deps.system.get(name);
      if (actor?.isProtected) throw new ServiceError('forbidden', `${actor.name} is a protected system actor and cannot be deleted.`);
      // A spawned agent is deleted for good (registry row included); other actors only stop.
      if (deps.spawner?.list().some((a) => a.name === name)) return deps.spawner.delete(name);
      return lifecycle(name, 'delete');
    },
  };
}

function problemOf(newest: AgentLogLine | undefined): AgentLogLine | null {
  return newest && (newest.level === 'warn' || newest.level === 'error') ? newest : null;
}
