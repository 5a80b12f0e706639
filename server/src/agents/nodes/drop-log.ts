// What the server drops from the nodes/ topics (forged heartbeats, unsigned answers) is logged, and
// so are the refusals a node sends back for forged commands, but anyone with broker credentials can
// cause either by the thousand: one line per window, carrying how many were dropped since the
// previous line, like the bus's malformed-payload log.
import type { Clock } from '../../core/clock.ts';

export interface WarnSink {
  warn(obj: object, msg: string): void;
}

export class DropLog {
  readonly #log: WarnSink | undefined;
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #msg: string;
  #lastAt = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  constructor(log: WarnSink | undefined, clock: Clock, msg: string, windowMs = 10_000) {
    this.#log = log;
    this.#clock = clock;
    this.#msg = msg;
    this.#windowMs = windowMs;
  }

  drop(detail: Record<string, unknown>): void {
    const now = this.#clock.now();
    if (now - this.#lastAt < this.#windowMs) {
      this.#suppressed++;
      return;
    }
    this.#log?.warn({ ...detail, ...(this.#suppressed > 0 ? { suppressed: this.#suppressed } : {}) }, this.#msg);
    this.#lastAt = now;
    this.#suppressed = 0;
  }
}
