// agent.notify and the planner's notification actions with a chat channel target
// (`telegram:<chat id>`, `discord:<user id>`, `whatsapp:<number>`) go to that channel; every
// other target is Home Assistant's notify service as before. A saved webhook (`webhook:slack`)
// goes to the webhook sender (interfaces/webhooks/).
import type { Notifier } from '../../agents/dynamic/notifier.ts';
import type { Notification } from '../../sandbox/types.ts';
import type { WebhookSender } from '../webhooks/sender.ts';
import { isWebhookTarget } from '../../agents/ha/service-calls.ts';
import { parseChannelTarget, type ChannelRegistry } from './registry.ts';

export class ChannelAwareNotifier implements Notifier {
  readonly #channels: ChannelRegistry;
  readonly #fallback: Notifier | undefined;
  readonly #webhooks: WebhookSender | undefined;

  constructor(channels: ChannelRegistry, fallback: Notifier | undefined, webhooks?: WebhookSender) {
    this.#channels = channels;
    this.#fallback = fallback;
    this.#webhooks = webhooks;
  }

  async notify(agent: string, n: Notification, signal?: AbortSignal): Promise<void> {
    if (n.target !== undefined && isWebhookTarget(n.target)) {
      if (!this.#webhooks) throw new Error('Webhooks are not available here');
      await this.#webhooks.notify(n.target, n.title ?? agent, n.message, signal);
      return;
    }
    if (n.target !== undefined && parseChannelTarget(n.target)) {
      await this.#channels.notify(n.target, n.title ?? agent, n.message, signal);
      return;
    }
    if (!this.#fallback) throw new Error('No notification service: Home Assistant is not connected');
    await this.#fallback.notify(agent, n, signal);
  }
}
