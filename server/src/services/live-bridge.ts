// Feeds the panel's live views: actor lifecycle from the system, heartbeats, logs and errors from
// the bus, and spend from the LLM service, each turned into a LiveEvent on the hub. One bridge
// for the process, so no area needs to know the panel exists.
import type { Bus } from '../bus/bus.ts';
import type { Clock } from '../core/clock.ts';
import type { ActorSystem } from '../core/system.ts';
import type { LiveEvent } from '../contract/live-events.ts';
import type { LlmService } from '../llm/service.ts';

export interface LiveSink {
  publish(event: LiveEvent): unknown;
}

export interface LiveBridgeDeps {
  system: ActorSystem;
  bus: Bus;
  llm: LlmService | undefined;
  hub: LiveSink;
  clock: Clock;
}

const iso = (ms: number | undefined, clock: Clock) => new Date(ms ?? clock.now()).toISOString();

export function startLiveBridge({ system, bus, llm, hub, clock }: LiveBridgeDeps): () => void {
  const nameOf = (id: string) => system.get(id)?.name ?? id;
  const offs: (() => void)[] = [];
  offs.push(
    system.onEvent((e) => {
      switch (e.type) {
        case 'spawned':
          hub.publish({ type: 'agent.state', agent: e.name, state: system.get(e.id)?.state ?? 'created' });
          return;
        case 'state':
          hub.publish({ type: 'agent.state', agent: e.name, state: e.state });
          return;
        case 'deleted':
          hub.publish({ type: 'agent.removed', agent: e.name });
          return;
        case 'failed':
          hub.publish({ type: 'agent.error', agent: e.name, message: e.failure.error.message, at: iso(undefined, clock) });
          return;
        case 'restarted':
          hub.publish({ type: 'agent.state', agent: e.name, state: 'running' });
          return;
        case 'escalated':
          hub.publish({ type: 'notification', level: 'error', title: `${e.supervisor} gave up restarting`, message: e.failure.error.message });
          return;
      }
    }),
  );
  offs.push(bus.subscribe('agentHeartbeat', {}, (hb) => void hub.publish({ type: 'agent.heartbeat', agent: hb.name, at: iso(hb.ts, clock) }), hub));
  offs.push(bus.subscribe('agentLogs', {}, (log, { id }) => void hub.publish({ type: 'agent.log', agent: nameOf(id), level: log.level, message: log.message, at: iso(log.ts, clock) }), hub));
  offs.push(bus.subscribe('agentErrors', {}, (err, { id }) => void hub.publish({ type: 'agent.error', agent: nameOf(id), message: `${err.phase}: ${err.message}`, at: iso(err.ts, clock) }), hub));
  if (llm) {
    offs.push(
      llm.onCall((entry) => {
        if (entry.costUsd === null) return;
        const today = llm.budget.status().periods.find((p) => p.period === 'day')?.spentUsd ?? 0;
        hub.publish({ type: 'cost.update', provider: entry.provider, agent: entry.agent, usd: entry.costUsd, spent_today_usd: today });
      }),
    );
    offs.push(
      llm.onBudget((e) =>
        void hub.publish({
          type: 'notification',
          level: e.type === 'exceeded' ? 'error' : 'warning',
          title: e.type === 'exceeded' ? `The ${e.period} LLM budget is spent` : `80% of the ${e.period} LLM budget used`,
          message: `$${e.spentUsd.toFixed(2)} of $${e.capUsd.toFixed(2)}; resets ${new Date(e.resetsAt).toISOString()}`,
        }),
      ),
    );
  }
  return () => offs.splice(0).forEach((off) => off());
}
