// The WebSocket connection to Home Assistant and its observable state. home-assistant-js-websocket
// owns the protocol, the reconnect loop (0 s, 1 s ... 5 s) and resubscription of every live
// subscription; this class owns the first connection (retried with capped backoff on the injected
// clock until it works or auth is refused), the state the health endpoint shows, and the logs.
import { createConnection, createLongLivedTokenAuth, ERR_INVALID_AUTH, type Connection } from 'home-assistant-js-websocket';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { ConnectionState } from '../core/connection-state.ts';
import type { Logger } from '../logger.ts';
import { HaError, toHaError } from './errors.ts';
import { socketFactory, type SocketFailure } from './socket.ts';
import type { HaEndpoints } from './target.ts';

export interface HaConnectionOptions {
  endpoints: HaEndpoints;
  logger: Logger;
  clock: Clock;
  connectTimeoutMs?: number;
  /** Backoff of the first connection: base doubled per attempt up to the cap. */
  retryBaseMs?: number;
  retryCapMs?: number;
}

export type ConnectionListener = (state: ConnectionState) => void;

export class HaConnection {
  readonly #opts: HaConnectionOptions;
  readonly #log: Logger;
  #current: ConnectionState = 'disabled';
  #error: string | undefined;
  #version: string | undefined;
  #conn: Connection | undefined;
  #retry: TimerHandle | undefined;
  #attempts = 0;
  #stopped = false;
  readonly #stateListeners = new Set<ConnectionListener>();
  readonly #readyListeners = new Set<(conn: Connection) => void>();
  #waiters: { resolve: (c: Connection) => void; reject: (e: HaError) => void }[] = [];

  constructor(opts: HaConnectionOptions) {
    this.#opts = opts;
    this.#log = opts.logger.child({ component: 'ha', mode: opts.endpoints.mode });
  }

  state(): ConnectionState {
    return this.#current;
  }

  lastError(): string | undefined {
    return this.#error;
  }

  haVersion(): string | undefined {
    return this.#version;
  }

  /** The live library connection, when connected. */
  connection(): Connection | undefined {
    return this.#conn?.connected ? this.#conn : undefined;
  }

  onState(listener: ConnectionListener): () => void {
    this.#stateListeners.add(listener);
    return () => void this.#stateListeners.delete(listener);
  }

  /** Called on the first connection and after every reconnect (refresh what may have changed). */
  onReady(listener: (conn: Connection) => void): () => void {
    this.#readyListeners.add(listener);
    return () => void this.#readyListeners.delete(listener);
  }

  /**
   * Makes the first attempt and returns when it is decided: connected, refused (state "failed"),
   * or unreachable (state "connecting", retried in the background). Never throws: an add-on whose
   * HA is down still starts and says so on /api/health.
   */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#attempt();
  }

  /** Resolves with the connection once connected; rejects if auth is refused or on stop(). */
  ready(signal?: AbortSignal): Promise<Connection> {
    const live = this.connection();
    if (live) return Promise.resolve(live);
    if (this.#current === 'failed') return Promise.reject(new HaError('auth_invalid', this.#error ?? 'Home Assistant refused the connection.'));
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new HaError('aborted', 'Gave up waiting for Home Assistant.'));
      }, { once: true });
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#retry?.cancel();
    this.#retry = undefined;
    const conn = this.#conn;
    this.#conn = undefined;
    conn?.close();
    this.#setState('disabled');
    for (const w of this.#waiters.splice(0)) w.reject(new HaError('not_connected', 'The Home Assistant connection was closed.'));
  }

  async #attempt(): Promise<void> {
    if (this.#stopped) return;
    this.#attempts++;
    const { endpoints } = this.#opts;
    const createSocket = socketFactory(
      { wsUrl: endpoints.wsUrl, token: endpoints.token, connectTimeoutMs: this.#opts.connectTimeoutMs, onAttempt: () => this.#setState('connecting') },
      (failure) => this.#onSocketFailure(failure),
    );
    try {
      const conn = await createConnection({ auth: createLongLivedTokenAuth(endpoints.wsUrl.replace(/^ws/, 'http'), endpoints.token), createSocket });
      if (this.#stopped) {
        conn.close();
        return;
      }
      this.#attach(conn);
    } catch (err) {
      if (this.#stopped) return;
      const failure = toHaError(err, 'Connecting to Home Assistant');
      if (failure.code === 'auth_invalid') return this.#refused(failure);
      const delay = Math.min(this.#opts.retryCapMs ?? 30_000, (this.#opts.retryBaseMs ?? 1_000) * 2 ** Math.min(this.#attempts - 1, 10));
      this.#log.warn({ err: this.#error, retryInMs: delay, url: endpoints.wsUrl }, 'Home Assistant unreachable; retrying');
      this.#retry = this.#opts.clock.setTimeout(() => void this.#attempt(), delay);
    }
  }

  #attach(conn: Connection): void {
    this.#conn = conn;
    this.#attempts = 0;
    conn.addEventListener('ready', () => this.#connected(conn));
    conn.addEventListener('disconnected', () => {
      if (this.#stopped) return;
      this.#log.warn({ url: this.#opts.endpoints.wsUrl }, 'Home Assistant connection lost; reconnecting');
      this.#setState('disconnected');
    });
    conn.addEventListener('reconnect-error', (_c, err) => {
      if (err === ERR_INVALID_AUTH) this.#refused(toHaError(err));
    });
    this.#connected(conn);
  }

  #connected(conn: Connection): void {
    if (this.#stopped) return;
    this.#version = conn.haVersion;
    this.#error = undefined;
    this.#setState('connected');
    this.#log.info({ version: this.#version, url: this.#opts.endpoints.wsUrl }, 'connected to Home Assistant');
    for (const w of this.#waiters.splice(0)) w.resolve(conn);
    for (const listener of this.#readyListeners) {
      try {
        listener(conn);
      } catch (err) {
        this.#log.error({ err }, 'Home Assistant ready listener failed');
      }
    }
  }

  #refused(err: HaError): void {
    this.#error = err.message;
    this.#setState('failed');
    this.#log.error({ url: this.#opts.endpoints.wsUrl }, err.message);
    this.#conn?.close();
    this.#conn = undefined;
    for (const w of this.#waiters.splice(0)) w.reject(err);
  }

  #onSocketFailure(failure: SocketFailure): void {
    this.#error = failure.reason === ERR_INVALID_AUTH ? `auth_invalid: ${failure.detail}` : `cannot connect: ${failure.detail}`;
  }

  #setState(next: ConnectionState): void {
    if (next === this.#current) return;
    this.#current = next;
    for (const listener of this.#stateListeners) {
      try {
        listener(next);
      } catch (err) {
        this.#log.error({ err }, 'Home Assistant state listener failed');
      }
    }
  }
}
