// Every error an agent reported on agents/{id}/errors, counted by severity, with the latest
// ones kept for /health-style reports and for deciding how to recover.
import type { Severity } from '../../bus/payloads.ts';

export interface RecordedError {
  severity: Severity;
  phase: string;
  message: string;
  at: number;
}

export interface AgentErrors {
  name: string;
  counts: Record<Severity, number>;
  /** The newest last. */
  recent: RecordedError[];
}

const KEEP = 10;

export class ErrorRegistry {
  readonly #byAgent = new Map<string, AgentErrors>();

  record(name: string, error: RecordedError): AgentErrors {
    let entry = this.#byAgent.get(name);
    if (!entry) {
      entry = { name, counts: { warning: 0, degraded: 0, critical: 0, fatal: 0 }, recent: [] };
      this.#byAgent.set(name, entry);
    }
    entry.counts[error.severity]++;
    entry.recent.push(error);
    if (entry.recent.length > KEEP) entry.recent.shift();
    return entry;
  }

  get(name: string): AgentErrors | undefined {
    return this.#byAgent.get(name);
  }

  list(): AgentErrors[] {
    return [...this.#byAgent.values()];
  }

  forget(name: string): void {
    this.#byAgent.delete(name);
  }
}
