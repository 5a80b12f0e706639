// The in-process hub every area publishes live events into and every WebSocket reads from.
// Events get a sequence number and are kept in a bounded ring, so a client that reconnects can
// ask for what it missed; when the ring no longer reaches back that far (or the server restarted,
// which the boot id reveals) the client is told to refetch instead.
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.ts';
import { LiveEvent, topicMatches, topicOf } from '../contract/live-events.ts';

export interface LiveEnvelope {
  seq: number;
  at: string;
  topic: string;
  event: LiveEvent;
}

export type LiveListener = (envelope: LiveEnvelope) => void;

export interface LiveHubOptions {
  clock?: Clock;
  /** How many recent events are kept for reconnecting clients. */
  history?: number;
  onError?: (err: unknown, context: string) => void;
}

export class LiveHub {
  readonly bootId: string;
  readonly #clock: Clock;
  readonly #capacity: number;
  readonly #onError: (err: unknown, context: string) => void;
  readonly #ring: LiveEnvelope[] = [];
  readonly #listeners = new Map<LiveListener, object | undefined>();
  #lastSeq = 0;

  constructor(options: LiveHubOptions = {}) {
    this.bootId = randomUUID();
    this.#clock = options.clock ?? systemClock;
    this.#capacity = Math.max(1, options.history ?? 1000);
    this.#onError = options.onError ?? (() => {});
  }

  get seq(): number {
    return this.#lastSeq;
  }

  /**
   * Validates and delivers an event. A malformed event is reported and dropped rather than
   * thrown: a publisher's bug must not take down the actor that published it.
   */
  publish(event: LiveEvent): LiveEnvelope | undefined {
    const parsed = LiveEvent.safeParse(event);
    if (!parsed.success) {
      this.#onError(parsed.error, `invalid live event ${String((event as { type?: unknown }).type)}`);
      return undefined;
    }
    const envelope: LiveEnvelope = { seq: ++this.#lastSeq, at: new Date(this.#clock.now()).toISOString(), topic: topicOf(parsed.data), event: parsed.data };
    this.#ring.push(envelope);
    if (this.#ring.length > this.#capacity) this.#ring.shift();
    for (const listener of [...this.#listeners.keys()]) {
      try {
        listener(envelope);
      } catch (err) {
        this.#onError(err, 'live listener failed');
      }
    }
    return envelope;
  }

  /** Listens to every event; the owner lets stop() of a whole component remove its listeners. */
  on(listener: LiveListener, owner?: object): () => void {
    this.#listeners.set(listener, owner);
    return () => void this.#listeners.delete(listener);
  }

  removeOwner(owner: object): void {
    for (const [listener, o] of this.#listeners) if (o === owner) this.#listeners.delete(listener);
  }

  listenerCount(): number {
    return this.#listeners.size;
  }

  /**
   * Events after `seq` on the given topics, or undefined when some may be missing (the ring has
   * moved past them, or `seq` belongs to another boot of the server).
   */
  since(seq: number, patterns: readonly string[]): LiveEnvelope[] | undefined {
    if (seq > this.#lastSeq) return undefined;
    const oldest = this.#ring[0]?.seq ?? this.#lastSeq + 1;
    if (seq < oldest - 1) return undefined;
    return this.#ring.filter((e) => e.seq > seq && patterns.some((p) => topicMatches(p, e.topic)));
  }
}
