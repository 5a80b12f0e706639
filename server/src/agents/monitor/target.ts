// What the monitor needs from the actor system: look an agent up, restart it through its
// supervisor (the same `restart` command as MQTT and the API), and hear lifecycle events.
import { executeCommand } from '../../core/commands.ts';
import type { SystemEvent } from '../../core/kernel.ts';
import type { ActorSystem } from '../../core/system.ts';

export interface AgentInfo {
  id: string;
  name: string;
  state: string;
  isProtected: boolean;
}

export interface MonitorTarget {
  lookup(idOrName: string): AgentInfo | undefined;
  restart(name: string): Promise<{ ok: true } | { ok: false; message: string }>;
  onEvent(listener: (e: SystemEvent) => void): () => void;
}

export function systemTarget(system: ActorSystem): MonitorTarget {
  return {
    lookup(idOrName) {
      const a = system.get(idOrName);
      return a ? { id: a.id, name: a.name, state: a.state, isProtected: a.isProtected } : undefined;
    },
    async restart(name) {
      const r = await executeCommand(system, name, { command: 'restart' });
      return r.status === 'ok' ? { ok: true } : { ok: false, message: r.error.message };
    },
    onEvent: (listener) => system.onEvent(listener),
  };
}
