// The wire form of what the system reports about its actors: heartbeats (every 10 s per actor to
// agents/{id}/heartbeat) and the health snapshot (every 15 s to system/health).
import type { Heartbeat, SystemHealth } from '../bus/payloads.ts';
import type { Actor } from './actor.ts';

export function heartbeatPayload(actor: Actor, ts: number): Heartbeat {
  const m = actor.metrics();
  return {
    id: actor.id,
    name: actor.name,
    state: actor.state,
    kind: actor.kind,
    protected: actor.isProtected,
    ts,
    metrics: {
      messages_processed: m.messagesProcessed,
      errors: m.errors,
      dropped: m.dropped,
      mailbox: m.mailbox,
      restarts: m.restarts,
      uptime_s: Math.round(m.uptimeMs / 100) / 10,
      last_heartbeat: m.lastHeartbeat ?? null,
    },
  };
}

export function healthSnapshot(actors: Iterable<Actor>, ts: number): SystemHealth {
  const h: SystemHealth = { ts, total: 0, created: 0, running: 0, paused: 0, stopped: 0, failed: 0 };
  for (const a of actors) {
    h.total++;
    h[a.state]++;
  }
  return h;
}
