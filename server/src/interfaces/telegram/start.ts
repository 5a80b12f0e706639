// The Telegram channel's entry in the channel list (interfaces/channels/start.ts): on when
// telegram_bot_token is set. Long polling needs no route and no public URL.
import type { ChannelFactory } from '../channels/start.ts';
import { TelegramChannel } from './channel.ts';

export const telegramFactory: ChannelFactory = {
  create({ config, runner, logger, fetchImpl }) {
    const telegram = config.channels.telegram;
    if (!telegram) return undefined;
    return {
      channel: new TelegramChannel({
        token: telegram.token,
        allowedUsers: telegram.allowedUsers,
        apiRoot: telegram.apiRoot,
        runner,
        logger: logger.child({ channel: 'telegram' }),
        ...(fetchImpl ? { fetchImpl } : {}),
      }),
    };
  },
};
