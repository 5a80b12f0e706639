// The panel's one WebSocket to /api/ws, shared by every view and opened only while someone
// listens (ref-counted, like home-assistant-js-websocket's subscriptions). It reconnects with
// backoff; on a reconnect to the same server boot it asks for the events it missed, and when the
// server restarted or the gap is too old it tells the listeners to refetch.
import { wsUrl } from './api.ts';
import type { ClientMessage, Identity, LiveEvent, ServerMessage } from './types.ts';

export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'idle';

export interface LiveSubscription {
  topics: string[];
  onEvent(event: LiveEvent, topic: string): void;
  /** Events may have been missed (server restart, long disconnect): reload from the API. */
  onResync?(): void;
}

const PROTOCOL = 'wactorz.v1';
// Capped low: after an add-on restart the panel should be back within a few seconds.
const MAX_BACKOFF_MS = 5_000;

function matches(pattern: string, topic: string): boolean {
  return pattern.endsWith('/*') ? topic.startsWith(pattern.slice(0, -1)) : pattern === topic;
}

class LiveSocket {
  private ws: WebSocket | undefined;
  private readonly subs = new Set<LiveSubscription>();
  private readonly confirmed = new Set<string>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly statusListeners = new Set<(s: LiveStatus) => void>();
  private bootId: string | undefined;
  private lastSeq = 0;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private _status: LiveStatus = 'idle';
  user: Identity | undefined;

  get status(): LiveStatus {
    return this._status;
  }

  subscribe(sub: LiveSubscription): () => void {
    this.subs.add(sub);
    if (!this.ws && !this.retryTimer) this.open();
    else if (this.ws?.readyState === WebSocket.OPEN && this.bootId) this.send({ type: 'subscribe', topics: sub.topics });
    return () => {
      if (!this.subs.delete(sub)) return;
      const still = new Set([...this.subs].flatMap((s) => s.topics));
      const gone = sub.topics.filter((t) => !still.has(t));
      gone.forEach((t) => this.confirmed.delete(t));
      if (this.subs.size === 0) return this.close();
      if (gone.length && this.ws?.readyState === WebSocket.OPEN) this.send({ type: 'unsubscribe', topics: gone });
    };
  }

  /** Resolves once the server confirmed `topic` on the current connection. */
  ready(topic: string): Promise<void> {
    if (this.confirmed.has(topic)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(topic, [...(this.waiting.get(topic) ?? []), resolve]));
  }

  onStatus(listener: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this._status);
    return () => void this.statusListeners.delete(listener);
  }

  private setStatus(s: LiveStatus): void {
    this._status = s;
    this.statusListeners.forEach((l) => l(s));
  }

  private open(): void {
    this.retryTimer = undefined;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(wsUrl('api/ws'), [PROTOCOL]);
    this.ws = ws;
    ws.onmessage = (m: MessageEvent<string>) => this.onMessage(JSON.parse(m.data) as ServerMessage);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.confirmed.clear();
      if (this.subs.size === 0) return this.setStatus('idle');
      this.setStatus('reconnecting');
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt++);
      this.retryTimer = setTimeout(() => this.open(), delay);
    };
  }

  private close(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    this.confirmed.clear();
    ws?.close(1000);
    this.attempt = 0;
    this.setStatus('idle');
  }

  private send(msg: ClientMessage): void {
    this.ws?.send(JSON.stringify(msg));
  }

  private onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case 'hello': {
        const resume = this.bootId !== undefined;
        const sameBoot = msg.boot_id === this.bootId;
        this.user = msg.user;
        this.attempt = 0;
        const topics = [...new Set([...this.subs].flatMap((s) => s.topics))];
        if (topics.length) {
          this.send(resume ? { type: 'subscribe', topics, since: sameBoot ? this.lastSeq : 0, boot_id: this.bootId } : { type: 'subscribe', topics });
        }
        this.bootId = msg.boot_id;
        if (!resume || !sameBoot) this.lastSeq = msg.seq;
        this.setStatus('open');
        return;
      }
      case 'event':
        this.lastSeq = Math.max(this.lastSeq, msg.seq);
        for (const s of [...this.subs]) if (s.topics.some((p) => matches(p, msg.topic))) s.onEvent(msg.event, msg.topic);
        return;
      case 'resync':
        for (const s of [...this.subs]) if (s.topics.some((t) => msg.topics.includes(t))) s.onResync?.();
        return;
      case 'subscribed':
        for (const t of msg.topics) {
          this.confirmed.add(t);
          this.waiting.get(t)?.forEach((r) => r());
          this.waiting.delete(t);
        }
        return;
      case 'unsubscribed':
      case 'pong':
        return;
      case 'error':
        console.warn('live connection:', msg.code, msg.message);
        return;
    }
  }
}

export const live = new LiveSocket();

export function subscribeLive(sub: LiveSubscription): () => void {
  return live.subscribe(sub);
}
