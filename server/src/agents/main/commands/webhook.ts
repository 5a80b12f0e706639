// /webhook: notification webhooks. Discord, Slack and Telegram URLs are recognised (pasting one in
// any message saves it too); any other http(s) URL (a Teams / Power Automate workflow, ntfy, n8n)
// is saved under a name the owner chooses. Stored as secrets apart from chat history and shown
// masked only; rules and agents notify one as `webhook:<name>` (interfaces/webhooks/).
import { webhookFormatOf, type WebhookFormat } from '../../../interfaces/webhooks/format.ts';
import type { WebhookStats } from '../../../interfaces/webhooks/sender.ts';
import { customWebhookProblem, isWebhookName, isWebhookService, WEBHOOK_SERVICES, webhookServiceOf, maskWebhook } from '../memory/webhook-urls.ts';
import { usage, type SlashCommand } from './registry.ts';

const SERVICES = WEBHOOK_SERVICES.join('|');
const NAME_RULE = 'a name is lowercase letters, digits, - or _ (at most 32), starting with a letter';

const FORMAT: Record<WebhookFormat, string> = {
  slack: "as Slack's {text}",
  discord: "as Discord's {content}",
  telegram: "as Telegram's sendMessage",
  ntfy: 'as ntfy plain text',
  generic: 'as JSON {text, title, source}',
};

/** What the sender counted since the start; its errors are masked already (sender.ts). */
function deliveryLines(stats: WebhookStats | undefined): string[] {
  if (!stats) return ['      nothing sent since the start'];
  const lines = [`      sent ${stats.sent}, failed ${stats.failed}, dropped by the rate limit ${stats.dropped} since the start`];
  if (stats.lastError) lines.push(`      last error ${new Date(stats.lastError.at).toISOString().slice(0, 16).replace('T', ' ')}: ${stats.lastError.message}`);
  return lines;
}

export const webhookCommand: SlashCommand = {
  name: 'webhook',
  aliases: ['webhooks'],
  usage: ['/webhook', `/webhook ${SERVICES} <url>`, '/webhook <name> <url>   (any other http(s) webhook, e.g. teams)', '/webhook delete <name>'],
  summary: 'list notification webhooks (masked), or save / delete one',
  async run(ctx) {
    const { webhooks } = ctx.deps;
    if (ctx.args.length === 0) {
      const list = webhooks.list();
      if (list.length === 0) return `No webhooks saved. Add one with /webhook ${SERVICES} <url> (or /webhook <name> <url> for any other), or paste its URL in any message.`;
      return ['Webhooks:', ...list.flatMap((w) => [`  ${w.service}: ${w.masked} (${w.source === 'command' ? 'set with /webhook' : 'found in chat'})`, ...deliveryLines(ctx.deps.webhookStats(w.service))])].join('\n');
    }
    if (ctx.args.length !== 2) usage();
    const [first, second] = ctx.args;
    if (first.toLowerCase() === 'delete') {
      const name = second.toLowerCase();
      if (!isWebhookName(name)) usage(`"${second}" is not a webhook name: ${NAME_RULE}.`);
      return webhooks.remove(name) ? `The ${name} webhook is deleted.` : `No ${name} webhook was saved.`;
    }
    const name = first.toLowerCase();
    if (isWebhookService(name)) {
      const detected = webhookServiceOf(second);
      if (detected !== name) {
        return detected
          ? `That is a ${detected} webhook URL, not a ${name} one; nothing was saved.`
          : `That does not look like a ${name} webhook URL; nothing was saved. For another kind of webhook, choose a name: /webhook <name> <url>.`;
      }
    } else {
      if (!isWebhookName(name)) usage(`"${first}" is not a webhook name: ${NAME_RULE}.`);
      const problem = customWebhookProblem(second);
      if (problem) return `${problem}; nothing was saved.`;
    }
    webhooks.save(name, second, 'command');
    const posted = FORMAT[webhookFormatOf(new URL(second))];
    return `Saved the ${name} webhook (${maskWebhook(second)}), posted ${posted}. Rules and agents notify it as webhook:${name} ("notify me on ${name[0].toUpperCase()}${name.slice(1)} when…").`;
  },
};
