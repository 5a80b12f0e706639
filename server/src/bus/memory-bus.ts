// An in-process Bus with no broker: publishes loop back to local subscribers on the next
// microtask (as a broker would deliver them later, never inside the publisher's call). Retained
// messages are kept and replayed to new subscribers. Used by unit tests and by a system started
// without MQTT.
import { BaseBus } from './base-bus.ts';
import type { BusOptions } from './bus.ts';
import { matches } from './match.ts';
import type { Qos } from './topics.ts';

export class MemoryBus extends BaseBus {
  #retained = new Map<string, Buffer>();
  /** Every message transmitted, in order (tests read what was published). */
  readonly sent: { topic: string; payload: string; qos: Qos; retain: boolean }[] = [];
  #record: boolean;

  constructor(root = 'wactorz', opts: BusOptions & { record?: boolean } = {}) {
    super(root, opts);
    this.#record = opts.record ?? true;
  }

  protected transmit(topic: string, payload: string | Buffer, qos: Qos, retain: boolean): void {
    const buf = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (this.#record) this.sent.push({ topic, payload: buf.toString('utf8'), qos, retain });
    if (retain) {
      if (buf.length === 0) this.#retained.delete(topic);
      else this.#retained.set(topic, buf);
    }
    queueMicrotask(() => this.dispatch(topic, buf, false));
  }

  /** Delivers a message as if it came from the broker (tests inject malformed or forged payloads this way). */
  inject(topic: string, payload: string | Buffer): void {
    this.dispatch(topic, typeof payload === 'string' ? Buffer.from(payload) : payload);
  }

  /** Parsed JSON payloads sent to topics matching the filter, in order. */
  sentTo(filter: string): unknown[] {
    return this.sent.filter((m) => matches(filter, m.topic)).map((m) => JSON.parse(m.payload) as unknown);
  }

  protected brokerSubscribe(filter: string): void {
    for (const [topic, buf] of this.#retained) {
      if (matches(filter, topic)) queueMicrotask(() => this.dispatch(topic, buf, true));
    }
  }

  protected brokerUnsubscribe(_filter: string): void {}
}
