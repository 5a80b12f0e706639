// TopicRegistry: the index of live contracts. It answers "who produces / consumes this pattern",
// finds producer -> consumer wiring opportunities (MQTT wildcards on either side), folds real
// publishes into observed samples, and forgets agents that stopped showing signs of life.
// Plain class, no MQTT: whoever sees the traffic (the bus, the sandbox) calls observe().
import type { Clock } from '../../core/clock.ts';
import { consumedFilters, normalizeContract, producedTopics, TopicContract } from './contract.ts';
import { type ObservedSample, updateObserved } from './observed.ts';
import { filtersOverlap } from './topic-filter.ts';

export interface WiringPair {
  producer: string;
  consumer: string;
  /** The producer's topic (name or filter). */
  topic: string;
  /** The consumer's filter that matches it. */
  via: string;
}

export interface TopicRegistryOptions {
  /** Observed topics kept per agent; the least recently published are forgotten first. */
  maxTopicsPerAgent?: number;
  /** Observed topics kept overall (including publishes nobody claimed). */
  maxTopics?: number;
}

interface Entry {
  contract: TopicContract;
  lastSeen: number;
}

interface TopicSample {
  sample: ObservedSample;
  publisher: string | undefined;
  /** Set on a sample restored from before a restart, until the topic carries data again. */
  beforeRestart?: true;
}

/** What changed, for whoever persists the registry (persistence.ts): a topic's sample, an agent's contract. */
export type RegistryChange = { kind: 'topic'; topic: string } | { kind: 'agent'; agent: string };

export class TopicRegistry {
  readonly #clock: Clock;
  readonly #maxTopicsPerAgent: number;
  readonly #maxTopics: number;
  readonly #entries = new Map<string, Entry>();
  readonly #topics = new Map<string, TopicSample>();
  readonly #listeners = new Set<(change: RegistryChange) => void>();

  constructor(clock: Clock, options: TopicRegistryOptions = {}) {
    this.#clock = clock;
    this.#maxTopicsPerAgent = options.maxTopicsPerAgent ?? 50;
    this.#maxTopics = options.maxTopics ?? 2000;
  }

  /**
   * Registers (or replaces) a contract and returns the wiring pairs it newly creates. Samples
   * already observed for the agent survive a re-declaration: they describe reality, not intent.
   */
  register(input: TopicContract): WiringPair[] {
    const contract = TopicContract.parse(input);
    const before = this.#pairsInvolving(contract.agent);
    const previous = this.#entries.get(contract.agent)?.contract.observed_samples ?? {};
    contract.observed_samples = { ...previous, ...contract.observed_samples };
    this.#entries.set(contract.agent, { contract, lastSeen: this.#clock.now() });
    this.#changed({ kind: 'agent', agent: contract.agent });
    return newPairs(before, this.#pairsInvolving(contract.agent));
  }

  /** The `agent.declareContract(...)` path: loose input in, warnings and new wiring out. */
  declare(agent: string, input: unknown): { contract: TopicContract; warnings: string[]; wiring: WiringPair[] } {
    const { contract, warnings } = normalizeContract(agent, input);
    const wiring = this.register(contract);
    return { contract: this.get(agent) ?? contract, warnings, wiring };
  }

  unregister(agent: string): boolean {
    const removed = this.#entries.delete(agent);
    if (removed) this.#changed({ kind: 'agent', agent });
    return removed;
  }

  /**
   * A sample saved before a restart, marked as such until the topic carries data again. A topic
   * already seen since the start keeps its live sample.
   */
  restoreSample(topic: string, sample: ObservedSample, publisher: string | undefined): void {
    if (this.#topics.has(topic)) return;
    this.#topics.set(topic, { sample, publisher, beforeRestart: true });
    evictOldest(this.#topics, this.#maxTopics);
  }

  /** Told of every change (a listener's error is swallowed: observe() sits on the bus's hot path). */
  onChange(listener: (change: RegistryChange) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * A real publish. With a publisher, its sample is updated (an agent that never declared a
   * contract gets an inferred one) and new wiring pairs are returned; without one, only the
   * topic's sample is kept (devices, HA bridge, other clients on the broker).
   */
  observe(topic: string, payload: unknown, publisher?: string): WiringPair[] {
    const now = this.#clock.now();
    const shared = this.#topics.get(topic);
    this.#topics.delete(topic);
    this.#topics.set(topic, { sample: updateObserved(shared?.sample, payload, now), publisher: publisher ?? shared?.publisher });
    evictOldest(this.#topics, this.#maxTopics);
    this.#changed({ kind: 'topic', topic });
    if (publisher === undefined) return [];

    let entry = this.#entries.get(publisher);
    if (!entry) {
      entry = { contract: TopicContract.parse({ agent: publisher, declared: false }), lastSeen: now };
      this.#entries.set(publisher, entry);
    }
    entry.lastSeen = now;
    const samples = entry.contract.observed_samples;
    const isNewTopic = !producedTopics(entry.contract).includes(topic);
    const before = isNewTopic ? this.#pairsInvolving(publisher) : [];
    const previous = samples[topic];
    delete samples[topic];
    samples[topic] = updateObserved(previous, payload, now);
    trimRecord(samples, this.#maxTopicsPerAgent);
    this.#changed({ kind: 'agent', agent: publisher });
    return isNewTopic ? newPairs(before, this.#pairsInvolving(publisher)) : [];
  }

  /** A sign of life (heartbeat) that keeps an idle agent's contract from being pruned. */
  touch(agent: string): void {
    const entry = this.#entries.get(agent);
    if (entry) entry.lastSeen = this.#clock.now();
  }

  /** Forgets agents not seen for `maxAgeMs`; returns their names. */
  prune(maxAgeMs: number): string[] {
    const cutoff = this.#clock.now() - maxAgeMs;
    const removed: string[] = [];
    for (const [agent, entry] of this.#entries) {
      if (entry.lastSeen < cutoff) {
        this.#entries.delete(agent);
        removed.push(agent);
        this.#changed({ kind: 'agent', agent });
      }
    }
    return removed;
  }

  get(agent: string): TopicContract | undefined {
    return this.#entries.get(agent)?.contract;
  }

  lastSeen(agent: string): number | undefined {
    return this.#entries.get(agent)?.lastSeen;
  }

  contracts(): TopicContract[] {
    return [...this.#entries.values()].map((e) => e.contract);
  }

  /** The latest sample seen on a concrete topic, whoever published it. */
  sample(topic: string): { sample: ObservedSample; publisher: string | undefined; beforeRestart?: true } | undefined {
    return this.#topics.get(topic);
  }

  observedTopics(): string[] {
    return [...this.#topics.keys()];
  }

  /** Agents producing anything a subscriber to `pattern` would receive. */
  producersOf(pattern: string): { agent: string; topic: string }[] {
    return this.contracts().flatMap((c) =>
      producedTopics(c).filter((t) => filtersOverlap(t, pattern)).map((topic) => ({ agent: c.agent, topic })),
    );
  }

  /** Agents that would receive something published on `pattern`. */
  consumersOf(pattern: string): { agent: string; filter: string }[] {
    return this.contracts().flatMap((c) =>
      consumedFilters(c).filter((f) => filtersOverlap(f, pattern)).map((filter) => ({ agent: c.agent, filter })),
    );
  }

  /** Every producer -> consumer opportunity (an agent feeding itself is not one). */
  wiring(): WiringPair[] {
    const pairs: WiringPair[] = [];
    for (const producer of this.contracts()) {
      for (const topic of producedTopics(producer)) {
        for (const { agent, filter } of this.consumersOf(topic)) {
          if (agent !== producer.agent) pairs.push({ producer: producer.agent, consumer: agent, topic, via: filter });
        }
      }
    }
    return pairs;
  }

  /** Case-insensitive search over names, descriptions, topics and observed field names. */
  search(keyword: string): TopicContract[] {
    const needle = keyword.trim().toLowerCase();
    if (!needle) return this.contracts();
    return this.contracts().filter((c) => {
      const fields = Object.values(c.observed_samples).flatMap((s) => Object.keys(s.fields));
      const haystack = [c.agent, c.description, ...producedTopics(c), ...consumedFilters(c), ...fields];
      return haystack.some((s) => s.toLowerCase().includes(needle));
    });
  }

  #changed(change: RegistryChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A persistence error must never break the publish that caused it.
      }
    }
  }

  #pairsInvolving(agent: string): WiringPair[] {
    return this.wiring().filter((p) => p.producer === agent || p.consumer === agent);
  }
}

function pairKey(p: WiringPair): string {
  return `${p.producer}\u0000${p.consumer}\u0000${p.topic}\u0000${p.via}`;
}

function newPairs(before: WiringPair[], after: WiringPair[]): WiringPair[] {
  const seen = new Set(before.map(pairKey));
  return after.filter((p) => !seen.has(pairKey(p)));
}

/** Maps iterate in insertion order, and observe() re-inserts on update, so the first key is the stalest. */
function evictOldest<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}

function trimRecord(record: Record<string, unknown>, max: number): void {
  const keys = Object.keys(record);
  for (const key of keys.slice(0, Math.max(0, keys.length - max))) delete record[key];
}
