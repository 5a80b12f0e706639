// The bus every part of the server talks to: typed publish/subscribe over the topic map, plus raw
// topics for agents that publish outside the system namespace. Two implementations share one
// Dispatcher: MqttBus (the process's one MQTT connection) and MemoryBus (in-process, for tests
// and for a system run without a broker).
import type { Qos, TopicKey, TopicParams, TopicPayload, TopicPayloadIn } from './topics.ts';

export interface PublishOptions {
  qos?: Qos;
  retain?: boolean;
}

export interface BusOptions {
  /**
   * Filters (relative to the root) of topics only this process publishes, e.g.
   * `ha/state_changes/#`: local subscribers get them in-process and copies from the broker are
   * dropped (counted as `foreignDropped`), since anyone on a shared broker could forge them.
   */
  ownedTopics?: readonly string[];
  /**
   * Absolute filters outside the root that agents and rules may read (option mqtt_read_topics;
   * bus/external-reads.ts). Checked here; payloads on them over EXTERNAL_MAX_PAYLOAD_BYTES are
   * dropped as malformed.
   */
  externalReads?: readonly string[];
}

export type RawHandler = (topic: string, payload: Buffer) => void;
export type TypedHandler<K extends TopicKey> = (payload: TopicPayload<K>, params: TopicParams<K>, topic: string) => void;
export type Unsubscribe = () => void;

/** A payload that did not parse or did not match its topic's schema. Counted, reported, dropped. */
export interface MalformedReport {
  topic: string;
  key: TopicKey | undefined;
  error: string;
  /** The start of the offending payload, for the log (never the whole thing). */
  sample: string;
}

export interface BusStats {
  published: number;
  delivered: number;
  malformed: number;
  handlerErrors: number;
  /** Broker copies of process-owned topics, dropped (our own echoes and forgeries alike). */
  foreignDropped: number;
  /** Telemetry published while disconnected and therefore dropped (QoS 0 is never queued). */
  droppedOffline: number;
  /** QoS 1 publishes waiting in the durable outbox for the connection to return. */
  outboxPending: number;
  subscriptions: number;
}

export interface Bus {
  /** The topic root every system topic sits under (`wactorz` by default). */
  readonly root: string;
  /** Filters outside the root agents and rules may read (BusOptions.externalReads); absent: none. */
  readonly externalReads?: readonly string[];
  /** Publishes a system topic with its map-declared QoS and retain flag. */
  publish<K extends TopicKey>(key: K, params: TopicParams<K>, payload: TopicPayloadIn<K>): void;
  /** Publishes any topic (not prefixed by the root). Objects are sent as JSON. QoS 0 by default. */
  publishRaw(topic: string, payload: string | Buffer | object, opts?: PublishOptions): void;
  /** Subscribes to a system topic; missing params act as `+`. Handlers get validated payloads only. */
  subscribe<K extends TopicKey>(key: K, params: Partial<TopicParams<K>>, handler: TypedHandler<K>, owner?: object): Unsubscribe;
  /** Subscribes to any filter (with `+`/`#`), not prefixed by the root. */
  subscribeRaw(filter: string, handler: RawHandler, owner?: object): Unsubscribe;
  /**
   * Claims, case by case, topics only this process publishes (bus/base-bus.ts): local publishes of
   * a claimed topic reach local subscribers in-process, and the broker's copies are dropped.
   */
  claimTopics(filter: string, owns: (levels: readonly string[]) => boolean): Unsubscribe;
  /** Drops every subscription registered with this owner (an actor's stop() calls this). */
  removeOwner(owner: object): void;
  /** Called for every malformed payload on a subscribed typed topic. */
  onMalformed(listener: (report: MalformedReport) => void): Unsubscribe;
  stats(): BusStats;
}
