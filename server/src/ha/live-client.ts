// HaClient over a real WebSocket + REST connection (the Supervisor proxy, HA_URL, or the demo home
// on loopback: the same code path for all three). On every (re)connection it reloads config,
// services and registries; the entity cache follows subscribe_entities, which the library
// resubscribes after a reconnect.
import type { Connection, HassEvent, HassServices } from 'home-assistant-js-websocket';
import { systemClock, type Clock } from '../core/clock.ts';
import type { ConnectionState } from '../core/connection-state.ts';
import type { HaHealth } from './health.ts';
import type { Logger } from '../logger.ts';
import type { CallOptions, HaClient, ServiceCall, ServiceResult, Unsubscribe } from './client.ts';
import { HaConnection } from './connection.ts';
import { EntityCache, type EntitiesMessage, type EntityChangeListener } from './entity-cache.ts';
import { HaError, toHaError } from './errors.ts';
import { RegistryCache } from './registry-cache.ts';
import { HaRest, type AutomationConfig, type CameraSnapshot, type ConversationOptions, type ConversationResult, type HistoryEntry, type HistoryOptions } from './rest.ts';
import { HaCoreConfig, type HaRegistries, type RegistryKind } from './schemas.ts';
import { ServiceCatalog } from './service-catalog.ts';
import type { HaEndpoints, HaMode } from './target.ts';
import { unknownReferencesOf } from './call-check.ts';

export interface LiveHaClientOptions {
  endpoints: HaEndpoints;
  logger: Logger;
  clock?: Clock;
  fetchImpl?: typeof fetch;
  connectTimeoutMs?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
}

export class LiveHaClient implements HaClient {
  readonly mode: HaMode;
  readonly #log: Logger;
  readonly #connection: HaConnection;
  readonly #rest: HaRest;
  readonly #cache: EntityCache;
  readonly #registryCache: RegistryCache;
  readonly #catalog: ServiceCatalog;
  #coreConfig: HaCoreConfig | undefined;
  #subscribed = false;
  #unsubscribers: (() => Promise<void>)[] = [];
  #offs: (() => void)[] = [];
  #initialLoad: Promise<void> | undefined;

  constructor(opts: LiveHaClientOptions) {
    this.mode = opts.endpoints.mode;
    this.#log = opts.logger.child({ component: 'ha', mode: this.mode });
    this.#connection = new HaConnection({
      endpoints: opts.endpoints,
      logger: opts.logger,
      clock: opts.clock ?? systemClock,
      connectTimeoutMs: opts.connectTimeoutMs,
      retryBaseMs: opts.retryBaseMs,
      retryCapMs: opts.retryCapMs,
    });
    this.#rest = new HaRest(opts.endpoints.restBase, opts.endpoints.token, opts.fetchImpl);
    this.#cache = new EntityCache((err) => this.#log.error({ err }, 'state change listener failed'));
    this.#registryCache = new RegistryCache((kind, err) => this.#log.warn({ err: toHaError(err).message, kind }, 'registry refresh failed'));
    this.#catalog = new ServiceCatalog((err) => this.#log.warn({ err: toHaError(err).message }, 'service list refresh failed'));
  }

  async start(): Promise<void> {
    this.#offs.push(
      this.#connection.onState((state) => {
        // HA resends every state after a resubscription; that full set replaces the cache.
        if (state === 'disconnected' || state === 'connecting') this.#cache.expectSnapshot();
      }),
      this.#connection.onReady((conn) => {
        this.#initialLoad = this.#load(conn);
        void this.#initialLoad;
      }),
    );
    await this.#connection.start();
    if (this.#initialLoad) await this.#initialLoad;
  }

  async stop(): Promise<void> {
    for (const off of this.#offs.splice(0)) off();
    const unsubs = this.#unsubscribers.splice(0);
    if (this.#connection.connection()) await Promise.allSettled(unsubs.map((u) => u()));
    await this.#connection.stop();
  }

  health(): HaHealth {
    const version = this.#connection.haVersion();
    const error = this.#connection.lastError();
    return { mode: this.mode, state: this.#connection.state(), ...(version ? { version } : {}), ...(error && this.#connection.state() !== 'connected' ? { error } : {}) };
  }

  connectionState(): ConnectionState {
    return this.#connection.state();
  }

  onConnectionState(listener: (state: ConnectionState) => void): Unsubscribe {
    return this.#connection.onState(listener);
  }

  async ready(signal?: AbortSignal): Promise<void> {
    await this.#connection.ready(signal);
    if (this.#initialLoad) await this.#initialLoad;
  }

  getState(entityId: string) {
    return this.#cache.get(entityId);
  }

  states() {
    return this.#cache.all();
  }

  onStateChange(listener: EntityChangeListener): Unsubscribe {
    return this.#cache.onChange(listener);
  }

  config(): HaCoreConfig | undefined {
    return this.#coreConfig;
  }

  services(): HassServices {
    return this.#catalog.all();
  }

  hasService(domain: string, service: string): boolean {
    return this.#catalog.has(domain, service);
  }

  registries(): HaRegistries {
    return this.#registryCache.snapshot();
  }

  onRegistryChange(listener: (kind: RegistryKind) => void): Unsubscribe {
    return this.#registryCache.onChange(listener);
  }

  async callService(call: ServiceCall, options: CallOptions = {}): Promise<ServiceResult> {
    const what = `${call.domain}.${call.service}`;
    if (options.signal?.aborted) throw new HaError('aborted', `${what} was aborted before it was sent.`);
    const conn = this.#live(what);
    const unknown = unknownReferencesOf(this, call);
    if (unknown.service) throw this.#unknownService(call.domain, call.service);
    const missing = unknown.entities;
    if (missing.length > 0) {
      const domain = missing[0].split('.')[0] ?? '';
      const known = this.#cache.all().map((s) => s.entity_id).filter((id) => id.startsWith(`${domain}.`)).sort().slice(0, 8);
      throw new HaError('unknown_entity', `Home Assistant has no entity ${missing.join(', ')}; ${what} was not called.${known.length > 0 ? ` Known ${domain} entities: ${known.join(', ')}.` : ''}`);
    }
    const message: Record<string, unknown> = { type: 'call_service', domain: call.domain, service: call.service };
    if (call.data) message.service_data = call.data;
    if (call.target) message.target = call.target;
    if (call.returnResponse) message.return_response = true;
    try {
      return await withSignal(conn.sendMessagePromise<ServiceResult>(message as { type: string }), options.signal, what);
    } catch (err) {
      const e = toHaError(err, what);
      throw e.code === 'not_found' ? this.#unknownService(call.domain, call.service) : e;
    }
  }

  async subscribeEvents(listener: (event: HassEvent) => void, eventType?: string): Promise<() => Promise<void>> {
    const conn = await this.#connection.ready();
    const unsub = await conn.subscribeEvents<HassEvent>((event) => {
      try {
        listener(event);
      } catch (err) {
        this.#log.error({ err, eventType }, 'event listener failed');
      }
    }, eventType);
    return async () => {
      try {
        await unsub();
      } catch {
        // Already gone with the connection: nothing left to unsubscribe.
      }
    };
  }

  async command<T>(message: { type: string; [key: string]: unknown }, options: CallOptions = {}): Promise<T> {
    if (options.signal?.aborted) throw new HaError('aborted', `${message.type} was aborted before it was sent.`);
    const conn = this.#live(message.type);
    try {
      return await withSignal(conn.sendMessagePromise<T>(message), options.signal, message.type);
    } catch (err) {
      throw toHaError(err, message.type);
    }
  }

  cameraSnapshot(entityId: string, signal?: AbortSignal): Promise<CameraSnapshot> {
    return this.#rest.cameraSnapshot(entityId, signal);
  }

  getAutomationConfig(id: string, signal?: AbortSignal): Promise<AutomationConfig | undefined> {
    return this.#rest.getAutomationConfig(id, signal);
  }

  saveAutomationConfig(id: string, config: AutomationConfig, signal?: AbortSignal): Promise<void> {
    return this.#rest.saveAutomationConfig(id, config, signal);
  }

  deleteAutomationConfig(id: string, signal?: AbortSignal): Promise<void> {
    return this.#rest.deleteAutomationConfig(id, signal);
  }

  history(options: HistoryOptions): Promise<HistoryEntry[][]> {
    return this.#rest.history(options);
  }

  conversation(text: string, options?: ConversationOptions): Promise<ConversationResult> {
    return this.#rest.conversation(text, options);
  }

  #live(what: string): Connection {
    const conn = this.#connection.connection();
    if (conn) return conn;
    const error = this.#connection.lastError();
    throw new HaError('not_connected', `Home Assistant is not connected (${this.#connection.state()}${error ? `: ${error}` : ''}); ${what} was not sent.`);
  }

  #unknownService(domain: string, service: string): HaError {
    const offered = this.#catalog.servicesOf(domain);
    return new HaError('unknown_service', `Home Assistant has no service ${domain}.${service}${offered.length > 0 ? ` (${domain} offers: ${offered.join(', ')})` : ` (no ${domain} services at all)`}.`);
  }

  /** Everything a fresh connection needs: subscriptions once, then config, services, registries. */
  async #load(conn: Connection): Promise<void> {
    const current = () => this.#connection.connection();
    try {
      if (!this.#subscribed) {
        this.#subscribed = true;
        let firstSnapshot: () => void = () => {};
        const snapshot = new Promise<void>((resolve) => (firstSnapshot = resolve));
        this.#cache.expectSnapshot();
        const entities = await conn.subscribeMessage<EntitiesMessage>((msg) => {
          this.#cache.apply(msg);
          if (this.#cache.loaded) firstSnapshot();
        }, { type: 'subscribe_entities' });
        const config = await conn.subscribeEvents(() => {
          const live = current();
          if (live) void this.#loadConfig(live);
        }, 'core_config_updated');
        this.#unsubscribers.push(entities, config, ...(await this.#registryCache.subscribe(conn, current)), ...(await this.#catalog.subscribe(conn, current)));
        await Promise.all([snapshot, this.#loadConfig(conn), this.#catalog.refresh(conn), this.#registryCache.refreshAll(conn)]);
      } else {
        await Promise.all([this.#loadConfig(conn), this.#catalog.refresh(conn), this.#registryCache.refreshAll(conn)]);
      }
    } catch (err) {
      this.#log.warn({ err: toHaError(err).message }, 'loading Home Assistant data failed');
    }
  }

  async #loadConfig(conn: Connection): Promise<void> {
    try {
      const raw = await conn.sendMessagePromise<unknown>({ type: 'get_config' });
      const parsed = HaCoreConfig.safeParse(raw);
      if (parsed.success) this.#coreConfig = parsed.data;
      else this.#log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'get_config answered in an unexpected shape');
    } catch (err) {
      this.#log.warn({ err: toHaError(err).message }, 'get_config failed');
    }
  }
}

function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new HaError('aborted', `${what} was aborted; Home Assistant may still carry it out.`));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : toHaError(e, what));
      },
    );
  });
}
