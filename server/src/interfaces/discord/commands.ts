// The bot's slash commands, registered globally (PUT /applications/{id}/commands) each time it
// connects: PUT replaces the whole list, so a renamed or dropped command disappears without a
// migration. `/wactorz message:<text>` is a chat message by another door (useful where typing to
// the bot would start a thread, or to keep a conversation in the channel itself); `/help` runs
// the orchestrator's own /help, so the list is never out of date.
import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder, type Client } from 'discord.js';
import { MAX_CHAT_MESSAGE } from '../../contract/chat.ts';

export const COMMANDS = [
  new SlashCommandBuilder()
    .setName('wactorz')
    .setDescription('Ask Wactorz something or tell it what to do')
    .addStringOption((o) => o.setName('message').setDescription('What you would write in the chat').setRequired(true).setMaxLength(MAX_CHAT_MESSAGE))
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall),
  new SlashCommandBuilder()
    .setName('help')
    .setDescription('What Wactorz understands and the commands it takes')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall),
].map((c) => c.toJSON());

/** The chat text a command stands for; undefined for a command this bot does not have. */
export function commandText(name: string, message: string | null): string | undefined {
  if (name === 'help') return '/help';
  if (name === 'wactorz' && message !== null && message.trim() !== '') return message.trim();
  return undefined;
}

export async function registerCommands(client: Client<true>): Promise<number> {
  const set = await client.application.commands.set(COMMANDS);
  return set.size;
}
