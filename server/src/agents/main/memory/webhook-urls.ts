// Notification webhook URLs (Discord, Slack, Telegram) are secrets: whoever has one can post as
// the user. They are recognised in any message, stored apart, and shown only masked, keeping the
// host and the last four characters so the user can tell two of them apart.

export const WEBHOOK_SERVICES = ['discord', 'slack', 'telegram'] as const;
export type WebhookService = (typeof WEBHOOK_SERVICES)[number];

const PATTERNS: Record<WebhookService, RegExp> = {
  discord: /https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/[\w-]+/gi,
  slack: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[\w/-]+/gi,
  // The Bot API URL carries the bot token: https://api.telegram.org/bot<id>:<secret>/sendMessage?chat_id=...
  telegram: /https:\/\/api\.telegram\.org\/bot\d+:[\w-]+(?:\/[\w]+)?(?:\?[\w=&%.-]*)?/gi,
};

export interface FoundWebhook {
  service: WebhookService;
  url: string;
}

export function isWebhookService(s: string): s is WebhookService {
  return (WEBHOOK_SERVICES as readonly string[]).includes(s);
}

/**
 * A saved webhook's name: a service above (found in chat, or `/webhook slack <url>`) or one the
 * owner chose for any other URL (`/webhook teams <url>`, `/webhook alerts <a second Slack URL>`).
 * It becomes the target `webhook:<name>`, so it is kept short and plain.
 */
export const WEBHOOK_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export function isWebhookName(s: string): boolean {
  return WEBHOOK_NAME.test(s) && s !== 'delete';
}

/** Why a URL cannot be saved under a name of the owner's choosing, or undefined when it can. */
export function customWebhookProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'That is not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `That is not an http(s) URL (it starts with ${u.protocol})`;
  if (u.username || u.password) return 'That URL carries a user name or password; webhooks with credentials in the URL are not supported';
  return undefined;
}

/** Every webhook URL in a text, in order of appearance. */
export function findWebhooks(text: string): FoundWebhook[] {
  const found: (FoundWebhook & { at: number })[] = [];
  for (const service of WEBHOOK_SERVICES) {
    // Sentence punctuation right after a URL is not part of it.
    for (const m of text.matchAll(PATTERNS[service])) found.push({ service, url: m[0].replace(/[.,;:!?]+$/, ''), at: m.index });
  }
  return found.sort((a, b) => a.at - b.at).map(({ service, url }) => ({ service, url }));
}

/** Which service a URL belongs to, if it is a webhook URL as a whole. */
export function webhookServiceOf(url: string): WebhookService | undefined {
  const hit = findWebhooks(url)[0];
  return hit && hit.url === url.trim() ? hit.service : undefined;
}

/** https://discord.com/api/webhooks/…/abcd: enough to recognise it, never enough to use it. */
export function maskWebhook(url: string): string {
  const tail = url.replace(/[?#].*$/, '').slice(-4);
  let origin: string;
  try {
    const u = new URL(url);
    const firstPath = u.pathname.split('/').filter(Boolean).slice(0, 2).join('/');
    // Discord's and Slack's first segments are fixed or an id; Telegram's is "bot<token>", and
    // nothing is known of any other URL's path: there the host alone is all that can be shown.
    origin = webhookServiceOf(url) === 'discord' || webhookServiceOf(url) === 'slack' ? `${u.origin}/${firstPath}` : `${u.origin}`;
  } catch {
    origin = 'https://…';
  }
  return `${origin}/…/${tail}`;
}

/**
 * The text with every http(s) URL masked: a `/webhook <name> <url>` command saves any URL as a
 * secret, so none of its URLs may reach the transcript whatever they look like.
 */
export function maskUrlsIn(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s<>"']+/gi, (url) => maskWebhook(url));
}

/** The text with every webhook URL masked (what chat history, the LLM and fact extraction see). */
export function maskWebhooksIn(text: string): string {
  let out = text;
  for (const { url } of findWebhooks(text)) out = out.split(url).join(maskWebhook(url));
  return out;
}
