// What a saved webhook's service expects in the body, recognised from the URL alone (the store
// keeps URLs, not formats). Each notification becomes one or more requests: Discord caps a
// message at 2000 characters, Telegram at 4096, so longer ones are split like chat answers.
import { splitMessage } from '../channels/split.ts';

export type WebhookFormat = 'slack' | 'discord' | 'telegram' | 'ntfy' | 'generic';

export interface WebhookRequest {
  contentType: string;
  body: string;
  /** Extra headers (ntfy takes the title as one). */
  headers?: Record<string, string>;
}

// https://discord.com/developers/docs/resources/webhook#execute-webhook ("content", 2000 max).
export const DISCORD_LIMIT = 2000;
// https://core.telegram.org/bots/api#sendmessage ("text", 1-4096 characters).
export const TELEGRAM_LIMIT = 4096;

export function webhookFormatOf(url: URL): WebhookFormat {
  const host = url.hostname.toLowerCase();
  if (host === 'hooks.slack.com') return 'slack';
  if (/^((ptb|canary)\.)?discord(app)?\.com$/.test(host) && /^\/api\/(v\d+\/)?webhooks\//.test(url.pathname)) return 'discord';
  if (host === 'api.telegram.org') return 'telegram';
  if (host === 'ntfy.sh' || host.startsWith('ntfy.')) return 'ntfy';
  // Microsoft Teams workflows (Power Automate), Mattermost, n8n, Home Assistant's own webhooks…
  return 'generic';
}

const json = (value: unknown): WebhookRequest => ({ contentType: 'application/json', body: JSON.stringify(value) });

/** The requests that deliver one notification, in order. */
export function webhookRequests(format: WebhookFormat, url: URL, title: string | undefined, message: string): WebhookRequest[] {
  const text = title ? `${title}\n${message}` : message;
  switch (format) {
    case 'slack':
      // Incoming webhooks: https://api.slack.com/messaging/webhooks ("text"; mrkdwn by default).
      return [json({ text })];
    case 'discord':
      // No @everyone, role or user pings from a rule's text, whatever it contains.
      return splitMessage(text, DISCORD_LIMIT).map((content) => json({ content, allowed_mentions: { parse: [] } }));
    case 'telegram': {
      // The saved URL is .../bot<token>/sendMessage?chat_id=<chat>: the chat goes in the body too.
      const chatId = url.searchParams.get('chat_id');
      return splitMessage(text, TELEGRAM_LIMIT).map((part) => json({ ...(chatId ? { chat_id: chatId } : {}), text: part }));
    }
    case 'ntfy':
      // https://docs.ntfy.sh/publish/: the body is the message, the title a header; a header
      // carries ASCII only, so another title stays on the body's first line.
      if (title && /^[\x20-\x7e]+$/.test(title)) return [{ contentType: 'text/plain; charset=utf-8', body: message, headers: { Title: title } }];
      return [{ contentType: 'text/plain; charset=utf-8', body: text }];
    case 'generic':
      return [json({ text: message, ...(title ? { title } : {}), source: 'wactorz' })];
  }
}
