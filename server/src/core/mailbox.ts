// A bounded FIFO: a ring buffer that grows by doubling up to its capacity, so an idle actor costs
// a few slots and a busy one never reallocates per message. When full, `push` refuses (the
// sender learns at once) instead of growing without limit: one runaway producer cannot exhaust
// the process's memory.

export class Mailbox<T> {
  readonly capacity: number;
  #buf: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`Mailbox capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#buf = new Array<T | undefined>(Math.min(capacity, 16));
  }

  get size(): number {
    return this.#size;
  }

  isFull(): boolean {
    return this.#size >= this.capacity;
  }

  /** Appends; false when the mailbox is full. */
  push(item: T): boolean {
    if (this.#size >= this.capacity) return false;
    if (this.#size === this.#buf.length) this.#grow();
    const len = this.#buf.length;
    this.#buf[(this.#head + this.#size) % len] = item;
    this.#size++;
    return true;
  }

  /** Removes and returns the oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#buf[this.#head];
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#buf.length;
    this.#size--;
    return item;
  }

  /** Empties the mailbox, returning what it held in order. */
  drain(): T[] {
    const out: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item);
    return out;
  }

  #grow(): void {
    const old = this.#buf;
    const next = new Array<T | undefined>(Math.min(this.capacity, old.length * 2));
    for (let i = 0; i < this.#size; i++) next[i] = old[(this.#head + i) % old.length];
    this.#buf = next;
    this.#head = 0;
  }
}
