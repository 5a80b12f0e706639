// A push-to-pull bridge: a turn's routes push events as they happen (from callbacks, streams,
// awaited calls), and the interface pulls them with `for await`. Unbounded on purpose: a turn
// emits a bounded number of events, and a slow reader must not stall an LLM stream mid-answer.

export class EventChannel<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #waiting: ((r: IteratorResult<T>) => void) | undefined;
  #failed: ((err: unknown) => void) | undefined;
  #closed = false;
  #error: { err: Error } | undefined;

  push(item: T): void {
    if (this.#closed) return;
    const wake = this.#waiting;
    if (wake) {
      this.#waiting = undefined;
      this.#failed = undefined;
      wake({ value: item, done: false });
    } else {
      this.#items.push(item);
    }
  }

  /** No more items; the reader ends after the queued ones. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wakeEnd();
  }

  /** The reader throws `err` after the queued items. */
  fail(err: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = { err: err instanceof Error ? err : new Error(String(err)) };
    this.#wakeEnd();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #wakeEnd(): void {
    if (this.#items.length > 0) return;
    const wake = this.#waiting;
    const failed = this.#failed;
    this.#waiting = undefined;
    this.#failed = undefined;
    if (this.#error && failed) failed(this.#error.err);
    else wake?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.#items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.#closed) return this.#error ? Promise.reject(this.#error.err) : Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.#waiting = resolve;
          this.#failed = reject;
        });
      },
    };
  }
}
