// The demo home's event bus: what HA's hass.bus is to its websocket_api. Listeners subscribe to
// one event type or to all (MATCH_ALL); one listener's error never stops the others.
import type { Context, HassEvent } from 'home-assistant-js-websocket';
import type { Clock } from '../../core/clock.ts';
import { isoTime, newContext } from './protocol.ts';

export type EventListener = (event: HassEvent) => void;

export class DemoEventBus {
  readonly #clock: Clock;
  readonly #onError: (err: unknown, event: HassEvent) => void;
  readonly #all = new Set<EventListener>();
  readonly #byType = new Map<string, Set<EventListener>>();

  constructor(clock: Clock, onError: (err: unknown, event: HassEvent) => void = (err) => console.error('demo home: event listener failed', err)) {
    this.#clock = clock;
    this.#onError = onError;
  }

  /** Listens to one event type, or every event when eventType is undefined. Returns the remover. */
  listen(eventType: string | undefined, listener: EventListener): () => void {
    let set = this.#all;
    if (eventType !== undefined) {
      set = this.#byType.get(eventType) ?? new Set();
      this.#byType.set(eventType, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  fire(eventType: string, data: Record<string, unknown>, context?: Context): HassEvent {
    const now = this.#clock.now();
    const event: HassEvent = { event_type: eventType, data, origin: 'LOCAL', time_fired: isoTime(now), context: context ?? newContext(now) };
    for (const listener of [...(this.#byType.get(eventType) ?? []), ...this.#all]) {
      try {
        listener(event);
      } catch (err) {
        // A broken subscriber (a test's, or a closing socket's) must not stop delivery to the rest.
        this.#onError(err, event);
      }
    }
    return event;
  }

  listenerCount(): number {
    let n = this.#all.size;
    for (const set of this.#byType.values()) n += set.size;
    return n;
  }
}
