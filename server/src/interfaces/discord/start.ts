// The Discord channel's factory for channels/start.ts: on when discord_bot_token is set.
import type { ChannelFactory } from '../channels/start.ts';
import { DiscordChannel } from './channel.ts';

export const discordChannel: ChannelFactory = {
  create({ config, runner, logger }) {
    const discord = config.channels.discord;
    if (!discord) return undefined;
    return { channel: new DiscordChannel({ ...discord, runner, logger: logger.child({ channel: 'discord' }) }) };
  },
};
