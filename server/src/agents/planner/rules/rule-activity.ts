// When each rule last fired: an actuation by one of its agents (agents/{id}/actuations, from
// ha_actuators and from dynamic agents calling HA) or a firing of its schedule
// (schedule/{name}/fired). The several actuations of one firing (one per service call) count once.
import type { Bus, Unsubscribe } from '../../../bus/bus.ts';
import type { Clock } from '../../../core/clock.ts';

/** Events of one rule closer together than this are the same firing. */
const SAME_FIRING_MS = 2000;

export interface RuleActivityOptions {
  bus: Bus;
  clock: Clock;
  /** The rule an agent (by name) belongs to. */
  ruleOfAgent: (name: string) => string | undefined;
  /** An actor id -> its name (actuations are published under the id). */
  nameOfId: (id: string) => string | undefined;
  onFire: (ruleId: string, at: number) => void;
}

export class RuleActivity {
  readonly #o: RuleActivityOptions;
  readonly #last = new Map<string, number>();
  #unsubs: Unsubscribe[] = [];

  constructor(options: RuleActivityOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#unsubs.length) return;
    const { bus } = this.#o;
    this.#unsubs.push(
      bus.subscribe('agentActuations', {}, (payload, params) => {
        // Skipped actions (HA unreachable, refused) are reported as actuations too, but nothing happened.
        const status = (payload as { status?: unknown }).status;
        if (status !== undefined && status !== 'ok') return;
        const agent = typeof payload.agent === 'string' ? payload.agent : this.#o.nameOfId(params.id);
        if (agent) this.#fired(agent);
      }, this),
      bus.subscribe('scheduleFired', {}, (_payload, params) => this.#fired(params.name), this),
    );
  }

  stop(): void {
    for (const u of this.#unsubs.splice(0)) u();
    this.#o.bus.removeOwner(this);
    this.#last.clear();
  }

  #fired(agent: string): void {
    const ruleId = this.#o.ruleOfAgent(agent);
    if (!ruleId) return;
    const now = this.#o.clock.now();
    const last = this.#last.get(ruleId);
    this.#last.set(ruleId, now);
    if (last !== undefined && now - last < SAME_FIRING_MS) return;
    this.#o.onFire(ruleId, now);
  }
}
