// What every Bus implementation shares: ref-counted subscriptions dispatched in-process by filter
// (one broker subscription per distinct filter, however many actors listen), the typed layer over
// the topic map (payload parsed once per message, validated per topic, malformed payloads counted
// and reported), and handler isolation (one throwing subscriber never stops the others).
import type { Bus, BusStats, MalformedReport, PublishOptions, RawHandler, TypedHandler, Unsubscribe } from './bus.ts';
import { hasWildcard, isValidFilter, matchLevels } from './match.ts';
import { TOPICS, filterFor, parseTopicLevels, topicFor, type Qos, type TopicKey, type TopicParams, type TopicPayloadIn } from './topics.ts';

const NOT_JSON = Symbol('not JSON');

/** One incoming message; the JSON parse is shared by every typed subscriber of the message. */
class Delivery {
  readonly topic: string;
  readonly payload: Buffer;
  #parsed = false;
  #value: unknown;
  #error: string | undefined;
  #levels: string[] | undefined;
  constructor(topic: string, payload: Buffer, levels?: string[]) {
    this.topic = topic;
    this.payload = payload;
    this.#levels = levels;
  }
  levels(): string[] {
    return (this.#levels ??= this.topic.split('/'));
  }
  /** The parsed JSON payload, or NOT_JSON (then `error` says why). */
  json(): unknown {
    if (!this.#parsed) {
      this.#parsed = true;
      try {
        this.#value = JSON.parse(this.payload.toString('utf8'));
      } catch (err) {
        this.#value = NOT_JSON;
        this.#error = `not JSON: ${(err as Error).message}`;
      }
    }
    return this.#value;
  }
  get error(): string | undefined {
    return this.#error;
  }
}

interface Entry {
  readonly group: Group;
  readonly owner: object | undefined;
  readonly fn: (d: Delivery) => void;
}

interface Group {
  readonly filter: string;
  readonly levels: readonly string[];
  readonly entries: Set<Entry>;
}

export abstract class BaseBus implements Bus {
  readonly root: string;
  readonly #rootLevels: readonly string[];
  #exact = new Map<string, Group>();
  #wild = new Map<string, Group>();
  #owners = new Map<object, Set<Entry>>();
  #malformedListeners = new Set<(r: MalformedReport) => void>();
  /** Retained messages seen, so a later local subscriber of an already-subscribed filter gets them too. */
  #retained = new Map<string, Buffer>();
  protected readonly counters = { published: 0, delivered: 0, malformed: 0, handlerErrors: 0, droppedOffline: 0 };

  constructor(root: string) {
    this.root = root;
    this.#rootLevels = root.split('/');
  }

  /** Sends one message to the broker (or loops it back). */
  protected abstract transmit(topic: string, payload: string | Buffer, qos: Qos, retain: boolean): void;
  /** The first subscriber of a filter arrived: subscribe at the broker. */
  protected abstract brokerSubscribe(filter: string): void;
  /** The last subscriber of a filter left: unsubscribe at the broker. */
  protected abstract brokerUnsubscribe(filter: string): void;
  protected outboxPending(): number {
    return 0;
  }

  publish<K extends TopicKey>(key: K, params: TopicParams<K>, payload: TopicPayloadIn<K>): void {
    const spec = TOPICS[key];
    this.counters.published++;
    this.transmit(topicFor(this.root, key, params), JSON.stringify(payload), spec.qos, spec.retain);
  }

  publishRaw(topic: string, payload: string | Buffer | object, opts: PublishOptions = {}): void {
    const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    this.counters.published++;
    this.transmit(topic, body, opts.qos ?? 0, opts.retain ?? false);
  }

  subscribe<K extends TopicKey>(key: K, params: Partial<TopicParams<K>>, handler: TypedHandler<K>, owner?: object): Unsubscribe {
    const schema = TOPICS[key].schema;
    return this.#add(
      filterFor(this.root, key, params),
      (d) => {
        const value = d.json();
        if (value === NOT_JSON) {
          this.#malformed(d, key, d.error ?? 'not JSON');
          return;
        }
        const parsed = schema.safeParse(value);
        if (!parsed.success) {
          this.#malformed(d, key, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
          return;
        }
        const topicParams = parseTopicLevels(this.#rootLevels, key, d.levels());
        if (!topicParams) return;
        handler(parsed.data as Parameters<TypedHandler<K>>[0], topicParams, d.topic);
      },
      owner,
    );
  }

  subscribeRaw(filter: string, handler: RawHandler, owner?: object): Unsubscribe {
    return this.#add(filter, (d) => handler(d.topic, d.payload), owner);
  }

  removeOwner(owner: object): void {
    const entries = this.#owners.get(owner);
    if (!entries) return;
    this.#owners.delete(owner);
    for (const e of entries) this.#remove(e);
  }

  onMalformed(listener: (report: MalformedReport) => void): Unsubscribe {
    this.#malformedListeners.add(listener);
    return () => void this.#malformedListeners.delete(listener);
  }

  stats(): BusStats {
    return { ...this.counters, outboxPending: this.outboxPending(), subscriptions: this.#exact.size + this.#wild.size };
  }

  /** Filters with at least one subscriber (re-subscribed after a reconnect). */
  protected activeFilters(): string[] {
    return [...this.#exact.keys(), ...this.#wild.keys()];
  }

  /** Implementations call this for every incoming message. */
  protected dispatch(topic: string, payload: Buffer, retained = false): void {
    if (retained) {
      if (payload.length === 0) this.#retained.delete(topic);
      else this.#retained.set(topic, payload);
    }
    const d = new Delivery(topic, payload);
    const exact = this.#exact.get(topic);
    if (exact) this.#run(exact, d);
    if (this.#wild.size === 0) return;
    const levels = d.levels();
    for (const g of this.#wild.values()) if (matchLevels(g.levels, levels)) this.#run(g, d);
  }

  #run(g: Group, d: Delivery): void {
    for (const e of g.entries) {
      this.counters.delivered++;
      try {
        e.fn(d);
      } catch {
        // A subscriber's bug is its own: count it and keep delivering to the others.
        this.counters.handlerErrors++;
      }
    }
  }

  #malformed(d: Delivery, key: TopicKey | undefined, error: string): void {
    this.counters.malformed++;
    const report: MalformedReport = { topic: d.topic, key, error, sample: d.payload.subarray(0, 200).toString('utf8') };
    for (const l of this.#malformedListeners) {
      try {
        l(report);
      } catch {
        this.counters.handlerErrors++;
      }
    }
  }

  #add(filter: string, fn: (d: Delivery) => void, owner: object | undefined): Unsubscribe {
    if (!isValidFilter(filter)) throw new Error(`Invalid MQTT topic filter: ${JSON.stringify(filter)}`);
    const table = hasWildcard(filter) ? this.#wild : this.#exact;
    let group = table.get(filter);
    const first = !group;
    if (!group) {
      group = { filter, levels: filter.split('/'), entries: new Set() };
      table.set(filter, group);
    }
    const entry: Entry = { group, owner, fn };
    group.entries.add(entry);
    if (owner) {
      let set = this.#owners.get(owner);
      if (!set) this.#owners.set(owner, (set = new Set()));
      set.add(entry);
    }
    if (first) this.brokerSubscribe(filter);
    else this.#replayRetained(entry);
    return () => {
      if (owner) this.#owners.get(owner)?.delete(entry);
      this.#remove(entry);
    };
  }

  #replayRetained(entry: Entry): void {
    for (const [topic, payload] of this.#retained) {
      if (!matchLevels(entry.group.levels, topic.split('/'))) continue;
      queueMicrotask(() => {
        if (!entry.group.entries.has(entry)) return;
        this.counters.delivered++;
        try {
          entry.fn(new Delivery(topic, payload));
        } catch {
          this.counters.handlerErrors++;
        }
      });
    }
  }

  #remove(entry: Entry): void {
    const g = entry.group;
    if (!g.entries.delete(entry) || g.entries.size > 0) return;
    const table = hasWildcard(g.filter) ? this.#wild : this.#exact;
    if (table.get(g.filter) === g) {
      table.delete(g.filter);
      this.brokerUnsubscribe(g.filter);
    }
  }
}
