// One planner request as a short-lived actor: visible in /agents while it works, cancelled with
// it, and bounded by a deadline after which it answers anyway and stops. It removes itself from
// the system when done (planner.ts deletes it), so planners never pile up: the original's did.
import { Actor, type ActorOptions } from '../../core/actor.ts';
import { task, type Message } from '../../core/messages.ts';
import { errorText, formatMs } from './deadline.ts';
import type { PlannerOutcome } from './ports.ts';

class Done {
  readonly outcome: PlannerOutcome;
  constructor(outcome: PlannerOutcome) {
    this.outcome = outcome;
  }
}
class Deadline {}

export interface PlannerJobOptions {
  work: (signal: AbortSignal) => Promise<PlannerOutcome>;
  deadlineMs: number;
  /** Called exactly once, with the outcome, the deadline's answer, or the failure. */
  settle: (outcome: PlannerOutcome) => void;
}

export class PlannerJob extends Actor {
  readonly #o: PlannerJobOptions;
  #settled = false;

  constructor(opts: Omit<ActorOptions, 'kind'>, job: PlannerJobOptions) {
    // Its handlers never block (the work runs beside the mailbox), so heartbeats are answered.
    super({ ...opts, kind: 'planner' });
    this.#o = job;
  }

  protected override onStart(): void {
    this.after(this.#o.deadlineMs, task(new Deadline()));
    this.pipeToSelf(this.#o.work(this.signal), (outcome) => task(new Done(outcome)));
  }

  protected handle(msg: Message): unknown {
    switch (msg.type) {
      case 'task':
        if (msg.payload instanceof Done) this.#finish(msg.payload.outcome);
        else if (msg.payload instanceof Deadline) this.#finish({ kind: 'error', text: `The planner gave up after ${formatMs(this.#o.deadlineMs)}; nothing was left running. Try a simpler request.` });
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
    try {
      this.#o.settle(outcome);
    } catch (err) {
      this.reportError(new Error(`planner outcome listener failed: ${errorText(err)}`));
    }
    if (this.state === 'running' || this.state === 'paused') this.stopSelf();
  }
}
