// `webhook:<name>` targets: agent.notify and rules' notify.chat_channel name a saved webhook
// (`/webhook slack <url>` saves `slack`, `/webhook teams <url>` saves `teams`) the way they name a
// chat (`telegram:<id>`). The planner offers the saved ones and refuses any other
// (agents/planner/validation/services.ts).
// The target's spelling (`webhook:` prefix, parseWebhookTarget) lives beside the chat targets in
// agents/ha/service-calls.ts, where rules and the planner read it; this file is the sender's side.
import type { WebhookStore } from '../../agents/main/memory/webhook-store.ts';
import { isWebhookName } from '../../agents/main/memory/webhook-urls.ts';
import { WEBHOOK_TARGET_PREFIX } from '../../agents/ha/service-calls.ts';

/** The saved webhooks as the sender sees them: names, and the URL behind one (a secret). */
export interface WebhookSource {
  names(): string[];
  url(name: string): string | undefined;
}

export function webhookSource(store: WebhookStore): WebhookSource {
  return {
    names: () => store.services(),
    url: (name) => (isWebhookName(name) ? store.url(name) : undefined),
  };
}

/** The targets the planner offers: `webhook:<name>` per saved webhook. */
export function webhookTargets(source: Pick<WebhookSource, 'names'>): string[] {
  return source.names().map((n) => `${WEBHOOK_TARGET_PREFIX}${n}`);
}
