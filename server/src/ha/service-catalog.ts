// Which services HA offers (get_services), refreshed when services are registered or removed, so
// that a call to a service that does not exist fails with a clear message before it is sent.
import type { Connection, HassServices } from 'home-assistant-js-websocket';

export class ServiceCatalog {
  #services: HassServices = {};
  #loadedOnce = false;
  #running: Promise<void> | undefined;
  #again = false;
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError;
  }

  get loaded(): boolean {
    return this.#loadedOnce;
  }

  all(): HassServices {
    return this.#services;
  }

  has(domain: string, service: string): boolean {
    return this.#services[domain]?.[service] !== undefined;
  }

  /** The services of a domain, for "light has: turn_on, turn_off, toggle" style messages. */
  servicesOf(domain: string): string[] {
    return Object.keys(this.#services[domain] ?? {}).sort();
  }

  async subscribe(conn: Connection, current: () => Connection | undefined): Promise<(() => Promise<void>)[]> {
    const onEvent = () => {
      const live = current();
      if (live) void this.refresh(live);
    };
    return Promise.all([conn.subscribeEvents(onEvent, 'service_registered'), conn.subscribeEvents(onEvent, 'service_removed')]);
  }

  refresh(conn: Connection): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          this.#services = await conn.sendMessagePromise<HassServices>({ type: 'get_services' });
          this.#loadedOnce = true;
        } while (this.#again);
      } catch (err) {
        this.#onError(err);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }
}
