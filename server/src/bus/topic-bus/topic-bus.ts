// TopicBus ties the registry and the windows to one stream of observed messages. The owner of
// the MQTT connection calls observe() for every message it sees (and the sandbox for every agent
// publish, with the publisher's name), so windows and samples cost no extra connection or
// subscription.
import type { Clock } from '../../core/clock.ts';
import { StreamWindow, type StreamWindowOptions } from '../stream-window.ts';
import { TopicRegistry, type TopicRegistryOptions, type WiringPair } from './registry.ts';
import { isValidTopicFilter, topicMatches } from './topic-filter.ts';

// The original's SharedStateHub (latest value per world-state topic) is not here: the registry's
// per-topic samples already keep the latest (trimmed) payload with when and who, persisted by
// persistence.ts, and HA's entity cache (ha/) is the state rules and conditions read.

export interface TopicBusOptions {
  clock: Clock;
  registry?: TopicRegistryOptions;
}

export interface ObserveMeta {
  publisher?: string;
}

export interface OpenWindow {
  window: StreamWindow;
  close: () => void;
}

export class TopicBus {
  readonly registry: TopicRegistry;
  readonly #clock: Clock;
  readonly #windows = new Set<{ filter: string; window: StreamWindow }>();

  constructor(options: TopicBusOptions) {
    this.#clock = options.clock;
    this.registry = new TopicRegistry(options.clock, options.registry);
  }

  /** One message seen on the bus; returns wiring opportunities it revealed (to log). */
  observe(topic: string, payload: unknown, meta: ObserveMeta = {}): WiringPair[] {
    const at = this.#clock.now();
    for (const w of this.#windows) if (topicMatches(w.filter, topic)) w.window.push(payload, at);
    return this.registry.observe(topic, payload, meta.publisher);
  }

  /** A window fed by every later message matching `filter`; close() stops feeding it. */
  openWindow(filter: string, options: Omit<StreamWindowOptions, 'clock'>): OpenWindow {
    if (!isValidTopicFilter(filter)) throw new RangeError(`not a valid MQTT topic filter: "${filter}"`);
    const entry = { filter, window: new StreamWindow({ ...options, clock: this.#clock }) };
    this.#windows.add(entry);
    return { window: entry.window, close: () => void this.#windows.delete(entry) };
  }

  get openWindows(): number {
    return this.#windows.size;
  }
}
