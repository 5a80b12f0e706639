// Heartbeat liveness of every agent that publishes agents/{id}/heartbeat, local or on another
// node: when each was last heard from, and which went silent or came back since the last check.
// Plain state, driven by the monitor with the injected clock's time.

export interface AgentPulse {
  id: string;
  name: string;
  state: string;
  lastSeen: number;
  node?: string;
  isProtected: boolean;
  silent: boolean;
}

export class HeartbeatWatchdog {
  readonly #agents = new Map<string, AgentPulse>();
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** A heartbeat arrived. Returns the pulse, and whether the agent had been silent. */
  beat(p: { id: string; name: string; state: string; at: number; node?: string; isProtected?: boolean }): { pulse: AgentPulse; wasSilent: boolean } {
    const previous = this.#agents.get(p.id);
    const pulse: AgentPulse = { id: p.id, name: p.name, state: p.state, lastSeen: p.at, isProtected: p.isProtected ?? false, silent: false, ...(p.node ? { node: p.node } : {}) };
    this.#agents.set(p.id, pulse);
    return { pulse, wasSilent: previous?.silent ?? false };
  }

  /** Agents silent for longer than the timeout that were not flagged yet (each reported once). */
  newlySilent(now: number): AgentPulse[] {
    const out: AgentPulse[] = [];
    for (const a of this.#agents.values()) {
      if (!a.silent && now - a.lastSeen > this.#timeoutMs) {
        a.silent = true;
        out.push(a);
      }
    }
    return out;
  }

  get(id: string): AgentPulse | undefined {
    return this.#agents.get(id);
  }

  byName(name: string): AgentPulse | undefined {
    for (const a of this.#agents.values()) if (a.name === name) return a;
    return undefined;
  }

  /** Stopped or deleted on purpose: no longer expected to beat. */
  forget(idOrName: string): void {
    if (this.#agents.delete(idOrName)) return;
    for (const [id, a] of this.#agents) if (a.name === idOrName) this.#agents.delete(id);
  }

  list(): AgentPulse[] {
    return [...this.#agents.values()];
  }
}
