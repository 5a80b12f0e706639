// The Telegram channel's entry in the channel list (interfaces/channels/start.ts): on when
// telegram_bot_token is set. Long polling needs no route and no public URL. The channel module
// (and grammY with it) is imported only then: an unconfigured channel costs no memory.
import type { ChannelFactory } from '../channels/start.ts';

export const telegramFactory: ChannelFactory = {
  async create({ config, runner, logger, fetchImpl }) {
    const telegram = config.channels.telegram;
    if (!telegram) return undefined;
    const { TelegramChannel } = await import('./channel.ts');
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
