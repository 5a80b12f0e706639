// One panel's WebSocket: its subscriptions, replay on reconnect, keep-alive pings and the
// slow-consumer cut-off. Written against a minimal socket interface so tests drive it with a
// fake socket and a manual clock.
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Identity } from '../contract/identity.ts';
import { topicMatches } from '../contract/live-events.ts';
import type { LiveEnvelope, LiveHub } from './live-hub.ts';
import { ClientMessage, MAX_TOPICS_PER_CONNECTION, type ServerMessage } from '../contract/ws-protocol.ts';

/** The part of a `ws` WebSocket this class uses. */
export interface LiveSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  ping(): void;
  terminate(): void;
}

export interface LiveConnectionOptions {
  hub: LiveHub;
  clock: Clock;
  identity: Identity;
  pingIntervalMs?: number;
  /** Bytes the socket may hold unsent before the client is judged too slow and dropped. */
  maxBufferedBytes?: number;
  onDrop?: (reason: 'slow' | 'unresponsive') => void;
}

export const DEFAULT_PING_INTERVAL_MS = 25_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

export class LiveConnection {
  readonly #socket: LiveSocket;
  readonly #opts: LiveConnectionOptions;
  readonly #patterns = new Set<string>();
  #timer: TimerHandle | undefined;
  #off: (() => void) | undefined;
  #awaitingPong = false;
  #closed = false;

  constructor(socket: LiveSocket, options: LiveConnectionOptions) {
    this.#socket = socket;
    this.#opts = options;
  }

  get topics(): readonly string[] {
    return [...this.#patterns];
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  start(): void {
    const { hub, clock, identity } = this.#opts;
    const interval = this.#opts.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.#send({ type: 'hello', boot_id: hub.bootId, seq: hub.seq, ping_interval_ms: interval, user: identity });
    this.#off = hub.on((e) => this.#deliver(e), this);
    // A peer that has not answered the previous ping within a whole interval is gone (a phone
    // that went to sleep, a proxy that dropped the connection): free its resources.
    this.#timer = clock.setInterval(() => {
      if (this.#awaitingPong) return this.#drop('unresponsive');
      this.#awaitingPong = true;
      this.#socket.ping();
    }, interval);
  }

  onPong(): void {
    this.#awaitingPong = false;
  }

  onMessage(raw: string): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.#send({ type: 'error', code: 'invalid_json', message: 'Messages are JSON objects' });
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) return this.#send({ type: 'error', code: 'invalid_message', message: parsed.error.issues[0]?.message ?? 'Unknown message' });
    const msg = parsed.data;
    switch (msg.type) {
      case 'ping':
        return this.#send({ type: 'pong' });
      case 'unsubscribe':
        for (const t of msg.topics) this.#patterns.delete(t);
        return this.#send({ type: 'unsubscribed', topics: msg.topics });
      case 'subscribe':
        return this.#subscribe(msg.topics, msg.since, msg.boot_id);
    }
  }

  /** Releases the hub listener and the ping timer; the socket is closed by its owner. */
  dispose(): void {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#off?.();
    this.#off = undefined;
  }

  #subscribe(topics: string[], since: number | undefined, bootId: string | undefined): void {
    const fresh = topics.filter((t) => !this.#patterns.has(t));
    if (this.#patterns.size + fresh.length > MAX_TOPICS_PER_CONNECTION) {
      return this.#send({ type: 'error', code: 'too_many_topics', message: `At most ${MAX_TOPICS_PER_CONNECTION} topics per connection` });
    }
    // Replaying and adding the patterns happen in one synchronous step, so no event published in
    // between can be missed or sent twice.
    let replay: LiveEnvelope[] = [];
    let resync: 'restarted' | 'gap' | undefined;
    if (bootId !== undefined && bootId !== this.#opts.hub.bootId) resync = 'restarted';
    else if (since !== undefined) {
      const missed = this.#opts.hub.since(since, topics);
      if (missed) replay = missed;
      else resync = 'gap';
    }
    for (const t of topics) this.#patterns.add(t);
    for (const e of replay) this.#sendEvent(e);
    if (resync) this.#send({ type: 'resync', topics, reason: resync });
    this.#send({ type: 'subscribed', topics, replayed: replay.length });
  }

  #deliver(e: LiveEnvelope): void {
    for (const p of this.#patterns) {
      if (topicMatches(p, e.topic)) return this.#sendEvent(e);
    }
  }

  #sendEvent(e: LiveEnvelope): void {
    this.#send({ type: 'event', seq: e.seq, at: e.at, topic: e.topic, event: e.event });
  }

  #send(msg: ServerMessage): void {
    if (this.#closed) return;
    // Memory per client is bounded by what the socket already holds: past the limit the client
    // is cut off (it reconnects and resumes or refetches) instead of queueing without end.
    if (this.#socket.bufferedAmount > (this.#opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES)) return this.#drop('slow');
    this.#socket.send(JSON.stringify(msg));
  }

  #drop(reason: 'slow' | 'unresponsive'): void {
    if (this.#closed) return;
    this.dispose();
    this.#socket.terminate();
    this.#opts.onDrop?.(reason);
  }
}
