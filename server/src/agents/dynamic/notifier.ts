// Where agent.notify goes. One interface so that other channels (stored webhooks, chat bots) can
// be added later without agents noticing; today Home Assistant's notify services carry it: the
// phone of the companion app, or the notifications panel when no phone is registered.
import type { HaClient } from '../../ha/client.ts';
import type { Notification } from '../../sandbox/types.ts';

export interface Notifier {
  /** Resolves once the channel accepted the notification; rejects with a message for the agent. */
  notify(agent: string, notification: Notification, signal?: AbortSignal): Promise<void>;
}

export interface HaNotifierOptions {
  /** notify service used when the agent names no target (e.g. mobile_app_pixel_7). */
  defaultTarget?: string;
}

export class HaNotifier implements Notifier {
  readonly #ha: HaClient;
  readonly #defaultTarget: string | undefined;

  constructor(ha: HaClient, options: HaNotifierOptions = {}) {
    this.#ha = ha;
    this.#defaultTarget = options.defaultTarget;
  }

  async notify(agent: string, n: Notification, signal?: AbortSignal): Promise<void> {
    const title = n.title ?? agent;
    const target = this.#pickTarget(n.target);
    if (target === undefined) {
      // No phone: the notifications panel of Home Assistant is always there.
      await this.#ha.callService({ domain: 'persistent_notification', service: 'create', data: { message: n.message, title } }, { signal });
      return;
    }
    if (!this.#ha.hasService('notify', target)) {
      const known = Object.keys(this.#ha.services().notify ?? {}).sort();
      throw new Error(`notify.${target} does not exist in Home Assistant${known.length ? `; known: ${known.map((k) => `notify.${k}`).join(', ')}` : ''}`);
    }
    await this.#ha.callService({ domain: 'notify', service: target, data: { message: n.message, title, ...(n.data ? { data: n.data } : {}) } }, { signal });
  }

  #pickTarget(requested: string | undefined): string | undefined {
    const strip = (t: string) => t.replace(/^notify\./, '');
    if (requested) return strip(requested);
    if (this.#defaultTarget) return strip(this.#defaultTarget);
    const services = Object.keys(this.#ha.services().notify ?? {});
    return services.find((s) => s.startsWith('mobile_app_')) ?? (services.includes('notify') ? 'notify' : undefined);
  }
}
