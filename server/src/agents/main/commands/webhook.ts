// /webhook: notification webhooks (Discord, Slack, Telegram). Stored as secrets apart from chat
// history and shown masked only; pasting one in any message saves it too.
import { isWebhookService, WEBHOOK_SERVICES, webhookServiceOf, maskWebhook } from '../memory/webhook-urls.ts';
import { usage, type SlashCommand } from './registry.ts';

export const webhookCommand: SlashCommand = {
  name: 'webhook',
  aliases: ['webhooks'],
  usage: ['/webhook', `/webhook ${WEBHOOK_SERVICES.join('|')} <url>`, `/webhook delete ${WEBHOOK_SERVICES.join('|')}`],
  summary: 'list notification webhooks (masked), or save / delete one',
  async run(ctx) {
    const { webhooks } = ctx.deps;
    if (ctx.args.length === 0) {
      const list = webhooks.list();
      if (list.length === 0) return `No webhooks saved. Add one with /webhook ${WEBHOOK_SERVICES.join('|')} <url>, or paste its URL in any message.`;
      return ['Webhooks:', ...list.map((w) => `  ${w.service}: ${w.masked} (${w.source === 'command' ? 'set with /webhook' : 'found in chat'})`)].join('\n');
    }
    if (ctx.args.length !== 2) usage();
    const [first, second] = ctx.args;
    if (first.toLowerCase() === 'delete') {
      const service = second.toLowerCase();
      if (!isWebhookService(service)) usage(`Unknown service ${second}.`);
      return webhooks.remove(service) ? `The ${service} webhook is deleted.` : `No ${service} webhook was saved.`;
    }
    const service = first.toLowerCase();
    if (!isWebhookService(service)) usage(`Unknown service ${first}: use one of ${WEBHOOK_SERVICES.join(', ')}.`);
    const detected = webhookServiceOf(second);
    if (detected !== service) {
      return detected
        ? `That is a ${detected} webhook URL, not a ${service} one; nothing was saved.`
        : `That does not look like a ${service} webhook URL; nothing was saved.`;
    }
    webhooks.save(service, second, 'command');
    return `Saved the ${service} webhook (${maskWebhook(second)}). Rules and agents notify it as webhook:${service} ("notify me on ${service[0].toUpperCase()}${service.slice(1)} when…").`;
  },
};
