// The Bus over the process's one MQTT connection. One broker subscription per distinct filter
// (ref-counted in BaseBus), whatever number of actors listen. QoS policy from the topic map:
// QoS 1 publishes made while disconnected go to the durable outbox and are flushed in their
// original order on reconnect, one at a time (each waits for its PUBACK, so order holds even if
// the connection drops mid-flush); QoS 0 telemetry made while disconnected is dropped and counted.
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { Outbox } from '../store/outbox.ts';
import { BaseBus } from './base-bus.ts';
import type { BusOptions } from './bus.ts';
import type { MqttConnection } from './connection.ts';
import type { Qos } from './topics.ts';

export interface MqttBusOptions extends BusOptions {
  connection: MqttConnection;
  root: string;
  /** Where QoS 1 publishes wait while offline; without one they are dropped like telemetry. */
  outbox?: Outbox;
  now?: () => number;
  onError?: (err: Error, context: string) => void;
}

export class MqttBus extends BaseBus {
  #client: MqttClient;
  #outbox: Outbox | undefined;
  #now: () => number;
  #onError: (err: Error, context: string) => void;
  #flushing: Promise<void> | undefined;
  #detach: (() => void)[] = [];
  #started = false;

  constructor(opts: MqttBusOptions) {
    super(opts.root, opts);
    this.#client = opts.connection.client;
    this.#outbox = opts.outbox;
    this.#now = opts.now ?? Date.now;
    this.#onError = opts.onError ?? (() => undefined);
  }

  /** Attaches to the connection; flushes the outbox left by a previous run if already connected. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const onMessage = (topic: string, payload: Buffer, packet: IPublishPacket) => this.dispatch(topic, payload, packet.retain);
    const onConnect = () => void this.flush();
    this.#client.on('message', onMessage);
    this.#client.on('connect', onConnect);
    this.#detach.push(() => this.#client.off('message', onMessage), () => this.#client.off('connect', onConnect));
    if (this.#client.connected) await this.flush();
  }

  /**
   * Detaches from the connection (which the runtime closes after). Pending outbox entries stay on
   * disk for the next run; a flush waiting for a PUBACK is not awaited (the broker may be gone).
   */
  async stop(): Promise<void> {
    this.#started = false;
    for (const d of this.#detach.splice(0)) d();
  }

  connected(): boolean {
    return this.#client.connected;
  }

  /** Sends what the outbox holds, oldest first; resolves when it is empty or the connection is gone. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drainOutbox().then((emptied) => {
      this.#flushing = undefined;
      // An entry added between the last peek and now would otherwise wait for the next reconnect.
      if (emptied && this.#started && this.#client.connected && this.outboxPending() > 0) void this.flush();
    });
    return this.#flushing;
  }

  protected override outboxPending(): number {
    return this.#outbox?.count() ?? 0;
  }

  protected transmit(topic: string, payload: string | Buffer, qos: Qos, retain: boolean): void {
    const online = this.#client.connected && this.#started;
    if (qos === 1 && this.#outbox && (!online || this.#flushing || this.#outbox.count() > 0)) {
      // Behind older outboxed messages, or offline: keep the original order and survive a crash.
      this.#outbox.add(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, qos, retain, this.#now());
      if (online) void this.flush();
      return;
    }
    if (!online) {
      this.counters.droppedOffline++;
      return;
    }
    if (qos === 0) {
      // No callback for telemetry: with one, mqtt.js parks a 'drain' listener per write whenever
      // the socket is busy, which cuts burst throughput several times over.
      this.#client.publish(topic, payload, { qos, retain });
      return;
    }
    this.#client.publish(topic, payload, { qos, retain }, this.#publishDone);
  }

  readonly #publishDone = (err?: Error) => {
    if (err) this.#onError(err, 'publish');
  };

  protected brokerSubscribe(filter: string): void {
    this.#client.subscribe(filter, { qos: 1 }, (err) => {
      if (err) this.#onError(err, `subscribe ${filter}`);
    });
  }

  protected brokerUnsubscribe(filter: string): void {
    this.#client.unsubscribe(filter, (err) => {
      if (err) this.#onError(err, `unsubscribe ${filter}`);
    });
  }

  /** True when the outbox was emptied; false when stopped, disconnected or a publish failed. */
  async #drainOutbox(): Promise<boolean> {
    const outbox = this.#outbox;
    if (!outbox) return true;
    while (this.#started && this.#client.connected) {
      const batch = outbox.peek(100);
      if (batch.length === 0) return true;
      for (const e of batch) {
        if (!this.#started) return false;
        // mqtt.js keeps an unacknowledged QoS 1 message and resends it after a reconnect, so this
        // await also spans a connection drop: the next entry never overtakes this one.
        const err = await new Promise<Error | undefined>((resolve) => this.#client.publish(e.topic, e.payload, { qos: e.qos, retain: e.retain }, (er) => resolve(er ?? undefined)));
        if (err) {
          this.#onError(err, `outbox publish ${e.topic}`);
          return false;
        }
        outbox.remove(e.id);
      }
    }
    return false;
  }
}
