// Pending asks, keyed by a correlation id unique to this system (a random prefix and a counter),
// never by the task text: two identical concurrent asks get their own answers. Each ask has a
// timeout on the injected clock; the first answer wins and late ones are ignored.
import type { Clock, TimerHandle } from './clock.ts';
import { AskTimeoutError } from './lifecycle.ts';
import type { Message } from './messages.ts';

interface Pending {
  resolve(v: unknown): void;
  reject(err: unknown): void;
  timer: TimerHandle;
}

export class PendingAsks {
  #pending = new Map<string, Pending>();
  #prefix = `${Math.random().toString(36).slice(2, 8)}.`;
  #seq = 0;
  #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get size(): number {
    return this.#pending.size;
  }

  /**
   * Registers an ask and calls `send` with its correlation id; `send` returns an error when the
   * message could not be delivered, which rejects the ask at once.
   */
  open<T>(target: string, timeoutMs: number, send: (correlationId: string) => Error | undefined): Promise<T> {
    const id = this.#prefix + (++this.#seq).toString(36);
    return new Promise<T>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        if (this.#pending.delete(id)) reject(new AskTimeoutError(target, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve, reject, timer });
      const err = send(id);
      if (err) this.reject(id, err);
    });
  }

  resolve(correlationId: string, value: unknown): void {
    const p = this.#take(correlationId);
    p?.resolve(value);
  }

  reject(correlationId: string, err: Error): void {
    this.#take(correlationId)?.reject(err);
  }

  /** Rejects the asks among these messages (the ones an ended actor will never answer). */
  rejectMessages(msgs: readonly (Message | undefined)[], err: () => Error): void {
    for (const m of msgs) if (m?.type === 'task' && m.correlationId !== undefined && this.#pending.has(m.correlationId)) this.reject(m.correlationId, err());
  }

  rejectAll(err: () => Error): void {
    for (const id of [...this.#pending.keys()]) this.reject(id, err());
  }

  #take(id: string): Pending | undefined {
    const p = this.#pending.get(id);
    if (!p) return undefined;
    this.#pending.delete(id);
    p.timer.cancel();
    return p;
  }
}
