// One request at a time for a view: starting a new one aborts the one before (its answer would be
// stale), and the view leaving the page aborts the one in flight. A Lit reactive controller, so
// the view needs no disconnectedCallback of its own for it.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class LatestRequest implements ReactiveController {
  #current: AbortController | undefined;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Aborts the request in flight, if any, and returns the signal for the next one. */
  next(): AbortSignal {
    this.#current?.abort();
    this.#current = new AbortController();
    return this.#current.signal;
  }

  hostDisconnected(): void {
    this.#current?.abort();
    this.#current = undefined;
  }
}
