// `webhook:<name>` targets: agent.notify and rules' notify.chat_channel name a saved webhook
// (`/webhook slack <url>` saves `slack`, `/webhook teams <url>` saves `teams`) the way they name a
// chat (`telegram:<id>`). The planner offers the saved ones and refuses any other
// (agents/planner/validation/services.ts).
import type { WebhookStore } from '../../agents/main/memory/webhook-store.ts';
import { isWebhookName } from '../../agents/main/memory/webhook-urls.ts';

export const WEBHOOK_TARGET_PREFIX = 'webhook:';

/** `webhook:slack` → `slack`; undefined when the target names no webhook. */
export function parseWebhookTarget(target: string): string | undefined {
  const t = target.trim();
  if (!t.toLowerCase().startsWith(WEBHOOK_TARGET_PREFIX)) return undefined;
  return t.slice(WEBHOOK_TARGET_PREFIX.length).trim().toLowerCase();
}

export function isWebhookTarget(target: string): boolean {
  return parseWebhookTarget(target) !== undefined;
}

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
