// SharedStateHub: the retained world state (HA entities, presence, energy, agents' data topics),
// i.e. the latest value per topic, readable at any time without subscribing and waiting. Feed it
// retained messages (or any topic whose latest value is state); an empty payload clears a topic,
// as an empty retained message does on the broker [MQTT-3.3.1-10].
import type { Clock } from '../../core/clock.ts';
import { topicMatches } from './topic-filter.ts';

export interface StateEntry {
  value: unknown;
  /** When the hub saw it (clock ms). */
  at: number;
  publisher: string | undefined;
}

export interface SharedStateHubOptions {
  /** Topics kept; the least recently updated go first past this. */
  maxTopics?: number;
}

export class SharedStateHub {
  readonly #clock: Clock;
  readonly #maxTopics: number;
  readonly #entries = new Map<string, StateEntry>();

  constructor(clock: Clock, options: SharedStateHubOptions = {}) {
    this.#clock = clock;
    this.#maxTopics = options.maxTopics ?? 10_000;
  }

  /** Records the latest value of a topic; `undefined`, `null`, '' or an empty buffer clears it. */
  observe(topic: string, value: unknown, publisher?: string): void {
    this.#entries.delete(topic);
    if (isEmpty(value)) return;
    this.#entries.set(topic, { value, at: this.#clock.now(), publisher });
    while (this.#entries.size > this.#maxTopics) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  get(topic: string): unknown {
    return this.#entries.get(topic)?.value;
  }

  entry(topic: string): StateEntry | undefined {
    return this.#entries.get(topic);
  }

  has(topic: string): boolean {
    return this.#entries.has(topic);
  }

  /** Latest values of every topic matching `filter` (all of them by default), sorted by topic. */
  snapshot(filter = '#'): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const topic of [...this.#entries.keys()].sort()) {
      if (topicMatches(filter, topic)) out[topic] = this.#entries.get(topic)?.value;
    }
    return out;
  }

  /** Topics whose value is older than `maxAgeMs` (a sensor that went quiet). */
  staleTopics(maxAgeMs: number): string[] {
    const cutoff = this.#clock.now() - maxAgeMs;
    return [...this.#entries].filter(([, e]) => e.at < cutoff).map(([t]) => t);
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  return value instanceof Uint8Array && value.byteLength === 0;
}
