// Observed samples and agents' contracts across restarts. Without it the planner's live topic
// samples start empty after every restart until traffic flows again. Changes are collected and
// written in one transaction every `flushMs` (at most), and at stop, like rule traces: observe()
// sits on the bus's hot path (every HA state change). A kill -9 loses at most the last `flushMs`.
// Broker data stays data: examples are already trimmed (observed.ts), a row too large keeps its
// field names but not its example, and rows are zod-checked on the way back (sample-store.ts).
import type { Clock, TimerHandle } from '../../core/clock.ts';
import { buildManifest, restoreManifests } from './manifest.ts';
import type { ObservedSample } from './observed.ts';
import type { RegistryChange, TopicRegistry } from './registry.ts';
import type { StoredSample, TopicSampleStore } from './sample-store.ts';

export interface TopicBusPersistenceOptions {
  registry: TopicRegistry;
  store: TopicSampleStore;
  clock: Clock;
  /** Whether an agent (a contract's owner or a sample's publisher) still exists: the spawn registry, the state bridge. */
  isAgent: (name: string) => boolean;
  flushMs?: number;
  /** Samples kept on disk (the newest by last_seen). */
  maxTopics?: number;
  /** A sample (example included) serialised past this many characters is stored without its example. */
  maxSampleChars?: number;
  /** Topic names longer than this are not stored. */
  maxTopicChars?: number;
}

export interface RestoreReport {
  samples: number;
  manifests: string[];
  /** Agents whose stored manifest was dropped because they are gone. */
  dropped: string[];
}

export class TopicBusPersistence {
  readonly #o: Required<TopicBusPersistenceOptions>;
  readonly #topics = new Set<string>();
  readonly #agents = new Set<string>();
  #timer: TimerHandle | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: TopicBusPersistenceOptions) {
    this.#o = { flushMs: 5_000, maxTopics: 500, maxSampleChars: 8_000, maxTopicChars: 512, ...options };
  }

  /**
   * Restores what was saved (before any traffic: call it before subscribing), then follows the
   * registry's changes. Manifests of agents that are gone, and samples they published, are dropped.
   */
  start(): RestoreReport {
    const { registry, store, isAgent } = this.#o;
    let samples = 0;
    for (const s of store.samples(this.#o.maxTopics)) {
      if (s.publisher !== undefined && !isAgent(s.publisher)) {
        store.forgetSample(s.topic);
        continue;
      }
      registry.restoreSample(s.topic, s.sample, s.publisher);
      samples++;
    }
    const dropped: string[] = [];
    const alive = store.manifests().filter((m) => {
      if (isAgent(m.name)) return true;
      store.forgetManifest(m.name);
      dropped.push(m.name);
      return false;
    });
    const manifests = restoreManifests(registry, alive);
    this.#unsubscribe = registry.onChange((c) => this.#changed(c));
    return { samples, manifests, dropped };
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.flush();
  }

  flush(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#topics.size === 0 && this.#agents.size === 0) return;
    const { registry } = this.#o;
    const samples: StoredSample[] = [];
    const forgetTopics: string[] = [];
    for (const topic of this.#topics) {
      const entry = registry.sample(topic);
      const sample = entry && this.#bounded(entry.sample);
      if (entry && sample) samples.push({ topic, publisher: entry.publisher, sample });
      else forgetTopics.push(topic);
    }
    const manifests = [];
    const forgetAgents: string[] = [];
    for (const agent of this.#agents) {
      const contract = registry.get(agent);
      if (contract && this.#o.isAgent(agent)) manifests.push(buildManifest({ ...contract, observed_samples: this.#boundedAll(contract.observed_samples) }, this.#o.clock.now()));
      else forgetAgents.push(agent);
    }
    this.#topics.clear();
    this.#agents.clear();
    this.#o.store.write({ samples, forgetTopics, manifests, forgetAgents }, this.#o.maxTopics);
  }

  #changed(change: RegistryChange): void {
    if (change.kind === 'topic') {
      if (change.topic.length > this.#o.maxTopicChars) return;
      // Re-inserted, so the first is the stalest: a flood of distinct topics keeps only the newest
      // `maxTopics` names here, which are the ones the bound on disk keeps anyway.
      this.#topics.delete(change.topic);
      this.#topics.add(change.topic);
      if (this.#topics.size > this.#o.maxTopics) this.#topics.delete(this.#topics.values().next().value as string);
    } else {
      this.#agents.add(change.agent);
    }
    this.#timer ??= this.#o.clock.setTimeout(() => this.flush(), this.#o.flushMs);
  }

  #boundedAll(samples: Record<string, ObservedSample>): Record<string, ObservedSample> {
    // fromEntries defines own properties: a topic named "__proto__" stays a key.
    return Object.fromEntries(
      Object.entries(samples).flatMap(([topic, sample]) => {
        const kept = topic.length <= this.#o.maxTopicChars ? this.#bounded(sample) : undefined;
        return kept ? [[topic, kept] as const] : [];
      }),
    );
  }

  /** The sample as stored: whole when small, else its field names and counts without the example. */
  #bounded(sample: ObservedSample): ObservedSample | undefined {
    if (JSON.stringify(sample).length <= this.#o.maxSampleChars) return sample;
    const bare = { ...sample, example: `<example not kept: larger than ${this.#o.maxSampleChars} characters>` };
    return JSON.stringify(bare).length <= this.#o.maxSampleChars ? bare : undefined;
  }
}
