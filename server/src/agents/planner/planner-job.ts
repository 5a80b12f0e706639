// One planner request as a short-lived actor: visible in /agents while it works, cancelled with
// it, and bounded by a deadline after which it answers anyway and stops. It removes itself from
// the system when done (planner.ts deletes it), so planners never pile up: the original's did.
import { Actor, type ActorOptions } from '../../core/actor.ts';
import type { TimerHandle } from '../../core/clock.ts';
import type { Message } from '../../core/messages.ts';
import { errorText, formatMs } from './deadline.ts';
import type { PlannerOutcome } from './ports.ts';

export interface PlannerJobOptions {
  work: (signal: AbortSignal) => Promise<PlannerOutcome>;
  deadlineMs: number;
  /** Called exactly once, with the outcome, the deadline's answer, or the failure. */
  settle: (outcome: PlannerOutcome) => void;
}

export class PlannerJob extends Actor {
  readonly #o: PlannerJobOptions;
  #settled = false;
  #deadline: TimerHandle | undefined;

  constructor(opts: Omit<ActorOptions, 'kind'>, job: PlannerJobOptions) {
    // Its handlers never block (the work runs beside the mailbox), so heartbeats are answered.
    super({ ...opts, kind: 'planner' });
    this.#o = job;
  }

  protected override onStart(): void {
    // Not through the mailbox: a paused actor reads none, and the planner must always end.
    this.#deadline = this.clock.setTimeout(() => this.#finish({ kind: 'error', text: `The planner gave up after ${formatMs(this.#o.deadlineMs)}; nothing was left running. Try a simpler request.` }), this.#o.deadlineMs);
    this.later(this.#o.work(this.signal), (outcome) => this.#finish(outcome));
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        return undefined;
      case 'error':
        this.#finish({ kind: 'error', text: `The planner failed: ${msg.error.message}` });
        return undefined;
      case 'result':
      case 'event':
      case 'command':
      case 'heartbeat':
        return undefined;
    }
  }

  protected override onStop(): void {
    // Stopped from outside (shutdown, /agents stop): the asker still gets an answer.
    this.#finish({ kind: 'error', text: 'The planner was stopped before it finished.' });
  }

  #finish(outcome: PlannerOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#deadline?.cancel();
    try {
      this.#o.settle(outcome);
    } catch (err) {
      this.reportError(new Error(`planner outcome listener failed: ${errorText(err)}`));
    }
    if (this.state === 'running' || this.state === 'paused') this.stopSelf();
  }
}
