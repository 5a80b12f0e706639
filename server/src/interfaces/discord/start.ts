// The Discord channel's factory for channels/start.ts: on when discord_bot_token is set. The
// channel module (and discord.js with it) is imported only then.
import type { ChannelFactory } from '../channels/start.ts';

export const discordChannel: ChannelFactory = {
  async create({ config, runner, logger }) {
    const discord = config.channels.discord;
    if (!discord) return undefined;
    const { DiscordChannel } = await import('./channel.ts');
    return { channel: new DiscordChannel({ ...discord, runner, logger: logger.child({ channel: 'discord' }) }) };
  },
};
