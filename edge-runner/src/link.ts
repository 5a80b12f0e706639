// The edge runner's one MQTT connection. Every agent's subscriptions share it: filters are
// ref-counted (a hundred agents on one topic are one broker subscription) and each message is
// dispatched to the handlers whose filter matches. Shaped like the server Bus (typed publish over
// the topic map, and the raw half), so the server's window and task helpers run on it unchanged.
import type { MqttClient } from 'mqtt';
import { topicMatches } from '../../server/src/bus/topic-bus/topic-filter.ts';
import { TOPICS, topicFor, type TopicKey, type TopicParams, type TopicPayloadIn } from '../../server/src/bus/topics.ts';

export type RawHandler = (topic: string, payload: Buffer) => void;

interface Entry {
  filter: string;
  handler: RawHandler;
  owner: object | undefined;
}

export class EdgeLink {
  readonly root: string;
  readonly #client: MqttClient;
  readonly #entries = new Set<Entry>();
  readonly #refs = new Map<string, number>();

  constructor(client: MqttClient, root: string) {
    this.#client = client;
    this.root = root;
    client.on('message', (topic, payload) => {
      for (const e of [...this.#entries]) {
        if (!topicMatches(e.filter, topic)) continue;
        try {
          e.handler(topic, payload);
        } catch (err) {
          // One handler's bug must not stop delivery to the others.
          console.error(`edge: handler for ${e.filter} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    });
    // A reconnect with a clean session loses the broker's subscriptions: take them again.
    client.on('connect', (ack) => {
      if (!ack.sessionPresent) for (const f of this.#refs.keys()) client.subscribe(f, { qos: 1 });
    });
  }

  /** Publishes a system topic of the map with its QoS and retain flag, as the server Bus does. */
  publish<K extends TopicKey>(key: K, params: TopicParams<K>, payload: TopicPayloadIn<K>): void {
    const spec = TOPICS[key];
    this.publishRaw(topicFor(this.root, key, params), payload, { qos: spec.qos, retain: spec.retain });
  }

  publishRaw(topic: string, payload: string | Buffer | object, opts: { qos?: 0 | 1; retain?: boolean } = {}): void {
    const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    this.#client.publish(topic, body, { qos: opts.qos ?? 0, retain: opts.retain ?? false });
  }

  subscribeRaw(filter: string, handler: RawHandler, owner?: object): () => void {
    const entry: Entry = { filter, handler, owner };
    this.#entries.add(entry);
    const n = this.#refs.get(filter) ?? 0;
    this.#refs.set(filter, n + 1);
    if (n === 0) this.#client.subscribe(filter, { qos: 1 });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#entries.delete(entry);
      const left = (this.#refs.get(filter) ?? 1) - 1;
      if (left > 0) this.#refs.set(filter, left);
      else {
        this.#refs.delete(filter);
        this.#client.unsubscribe(filter);
      }
    };
  }

  removeOwner(owner: object): void {
    for (const e of [...this.#entries]) {
      if (e.owner !== owner) continue;
      this.#entries.delete(e);
      const left = (this.#refs.get(e.filter) ?? 1) - 1;
      if (left > 0) this.#refs.set(e.filter, left);
      else {
        this.#refs.delete(e.filter);
        this.#client.unsubscribe(e.filter);
      }
    }
  }
}
