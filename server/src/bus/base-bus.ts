// What every Bus implementation shares: ref-counted subscriptions dispatched in-process by filter
// (one broker subscription per distinct filter, however many actors listen), the typed layer over
// the topic map (payload parsed once per message, validated per topic, malformed payloads counted
// and reported), and handler isolation (one throwing subscriber never stops the others).
//
// Process-owned topics (`ownedTopics`, e.g. `ha/state_changes/#`): topics that only this process
// publishes. Anyone with broker credentials can publish on any topic, so a copy of such a topic
// arriving from the broker (our own echo, or a forgery) is never believed: local subscribers get
// the process's own publishes in-process, the broker only receives an outbound mirror for others,
// and a filter that lies wholly inside an owned topic is not even subscribed at the broker.
// `claimTopics` does the same per topic, for topics whose owner is only known at the time: the
// telemetry of this process's own actors (the actor system claims it), while the same topics of
// agents on other nodes still come from the broker.
import type { Bus, BusOptions, BusStats, MalformedReport, PublishOptions, RawHandler, TypedHandler, Unsubscribe } from './bus.ts';
import { EXTERNAL_MAX_PAYLOAD_BYTES, externalFilterProblems } from './external-reads.ts';
import { hasWildcard, isValidFilter, matchLevels } from './match.ts';
import { TOPICS, filterFor, parseTopicLevels, topicFor, underRoot, type Qos, type TopicKey, type TopicParams, type TopicPayloadIn } from './topics.ts';

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
  readonly externalReads: readonly string[];
  readonly #externalLevels: readonly (readonly string[])[];
  readonly #rootLevels: readonly string[];
  #exact = new Map<string, Group>();
  #wild = new Map<string, Group>();
  #owners = new Map<object, Set<Entry>>();
  #malformedListeners = new Set<(r: MalformedReport) => void>();
  /** Retained messages seen, so a later local subscriber of an already-subscribed filter gets them too. */
  #retained = new Map<string, Buffer>();
  protected readonly counters = { published: 0, delivered: 0, malformed: 0, handlerErrors: 0, droppedOffline: 0, foreignDropped: 0 };
  /** Owned filters as absolute levels, e.g. ['wactorz', 'ha', 'state_changes', '#']. */
  readonly #owned: readonly (readonly string[])[];
  /** Topics owned case by case (see claimTopics). */
  readonly #claims = new Set<{ levels: readonly string[]; owns: (levels: readonly string[]) => boolean }>();

  constructor(root: string, opts: BusOptions = {}) {
    this.root = root;
    this.#rootLevels = root.split('/');
    this.#owned = (opts.ownedTopics ?? []).map((f) => {
      const filter = underRoot(root, f);
      if (!isValidFilter(filter)) throw new Error(`Invalid owned topic filter: ${JSON.stringify(f)}`);
      return filter.split('/');
    });
    const problems = externalFilterProblems(root, opts.externalReads ?? []);
    if (problems.length > 0) throw new Error(`Invalid external read filters: ${problems.join('; ')}`);
    this.externalReads = Object.freeze([...(opts.externalReads ?? [])]);
    this.#externalLevels = this.externalReads.map((f) => f.split('/'));
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
    this.#send(topicFor(this.root, key, params), JSON.stringify(payload), spec.qos, spec.retain);
  }

  publishRaw(topic: string, payload: string | Buffer | object, opts: PublishOptions = {}): void {
    const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    this.#send(topic, body, opts.qos ?? 0, opts.retain ?? false);
  }

  #send(topic: string, body: string | Buffer, qos: Qos, retain: boolean): void {
    this.counters.published++;
    if (this.#anyOwned() && this.#isOwned(topic.split('/'))) {
      // Delivered here, never inside the publisher's call (as a broker would deliver it later).
      const buf = typeof body === 'string' ? Buffer.from(body) : body;
      queueMicrotask(() => this.#deliver(topic, buf));
    }
    this.transmit(topic, body, qos, retain);
  }

  /** True when the topic is one only this process publishes. */
  isOwnedTopic(topic: string): boolean {
    return this.#isOwned(topic.split('/'));
  }

  /**
   * Claims the topics matching `filter` for which `owns(levels)` is true when a message is sent or
   * arrives: published here, they reach local subscribers in-process; from the broker, they are
   * dropped. Filters that may match them still subscribe at the broker (for the unclaimed ones).
   */
  claimTopics(filter: string, owns: (levels: readonly string[]) => boolean): Unsubscribe {
    if (!isValidFilter(filter)) throw new Error(`Invalid MQTT topic filter: ${JSON.stringify(filter)}`);
    const claim = { levels: filter.split('/'), owns };
    this.#claims.add(claim);
    return () => void this.#claims.delete(claim);
  }

  #anyOwned(): boolean {
    return this.#owned.length > 0 || this.#claims.size > 0;
  }

  #isOwned(levels: readonly string[]): boolean {
    if (this.#owned.some((o) => matchLevels(o, levels))) return true;
    for (const c of this.#claims) if (matchLevels(c.levels, levels) && c.owns(levels)) return true;
    return false;
  }

  /** A filter every topic of which is owned: served in-process alone, never subscribed at the broker. */
  #withinOwned(filter: string): boolean {
    const levels = filter.split('/');
    return this.#owned.some((o) => {
      const fixed = o[o.length - 1] === '#' ? o.length - 1 : o.length;
      if (o.slice(0, fixed).some((l) => l === '+')) return false;
      if (fixed === o.length) return levels.length === o.length && levels.every((l, i) => l === o[i]);
      return levels.length >= fixed && levels.slice(0, fixed).every((l, i) => l === o[i]);
    });
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

  /** True when subscribing the filter needs the broker (it is not served in-process alone). */
  #needsBroker(filter: string): boolean {
    return !this.#withinOwned(filter);
  }

  /** Implementations call this for every message that comes from the broker. */
  protected dispatch(topic: string, payload: Buffer, retained = false): void {
    if (this.#anyOwned() && this.#isOwned(topic.split('/'))) {
      // Our own echo or someone else's forgery: local subscribers already had the real one.
      this.counters.foreignDropped++;
      return;
    }
    if (payload.length > EXTERNAL_MAX_PAYLOAD_BYTES && this.#externalLevels.length > 0) {
      const levels = topic.split('/');
      if (this.#externalLevels.some((e) => matchLevels(e, levels))) {
        // A device's topic is anyone's to publish on: an oversized message is dropped before any parse.
        this.#malformed(new Delivery(topic, payload, levels), undefined, `${payload.length} bytes, over the ${EXTERNAL_MAX_PAYLOAD_BYTES}-byte limit of topics outside the root`);
        return;
      }
    }
    this.#deliver(topic, payload, retained);
  }

  #deliver(topic: string, payload: Buffer, retained = false): void {
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
    if (first) {
      if (this.#needsBroker(filter)) this.brokerSubscribe(filter);
    } else this.#replayRetained(entry);
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
      if (this.#needsBroker(g.filter)) this.brokerUnsubscribe(g.filter);
    }
  }
}
