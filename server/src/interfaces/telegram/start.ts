// The Telegram channel's entry in the channel list (interfaces/channels/start.ts): on when
// telegram_bot_token is set. Long polling needs no route and no public URL; with
// telegram_webhook_url the webhook's route is added and its path let through the access guard.
// The channel module (and grammY with it) is imported only then: an unconfigured channel costs
// no memory.
import type { ChannelFactory } from '../channels/start.ts';

export const telegramFactory: ChannelFactory = {
  async create({ config, runner, logger, fetchImpl }) {
    const telegram = config.channels.telegram;
    if (!telegram) return undefined;
    const { TelegramChannel } = await import('./channel.ts');
    const { TELEGRAM_WEBHOOK_PATH } = await import('./webhook.ts');
    const channel = new TelegramChannel({
      token: telegram.token,
      allowedUsers: telegram.allowedUsers,
      apiRoot: telegram.apiRoot,
      runner,
      logger: logger.child({ channel: 'telegram' }),
      ...(fetchImpl ? { fetchImpl } : {}),
      ...(telegram.webhookUrl ? { webhookUrl: telegram.webhookUrl } : {}),
    });
    const routes = channel.routes();
    return routes ? { channel, routes, webhookPaths: [TELEGRAM_WEBHOOK_PATH] } : { channel };
  },
};
