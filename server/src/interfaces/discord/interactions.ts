// Slash commands and button clicks. Discord wants every interaction acknowledged within three
// seconds, so a command is deferred ("Wactorz is thinking…") before its turn runs and the answer
// is written into that response; a click first updates the question's message (its buttons
// removed, the decision and who made it added), then its turn answers in a follow-up. Anyone
// not allowed gets an ephemeral refusal, seen only by them, and nothing runs.
import type { ButtonInteraction, ChatInputCommandInteraction, Interaction, RepliableInteraction } from 'discord.js';
import { MessageFlags } from 'discord.js';
import type { UserRateLimit } from '../channels/user-rate.ts';
import { decideInteraction, placeOf, REFUSAL, userIdOf, type AllowList, type Place } from './access.ts';
import { decisionLine, parseCustomId, turnText } from './buttons.ts';
import { commandText } from './commands.ts';
import { DISCORD_LIMIT } from './stream.ts';
import { interactionSurface } from './surfaces.ts';
import { runTurn, type TurnDeps } from './turn.ts';

export interface InteractionDeps extends TurnDeps {
  allow: AllowList;
  rate: UserRateLimit;
  /** Questions already answered by a click (message ids): a second click does not run a second turn. */
  decided: Set<string>;
  signal: AbortSignal;
}

const NOT_HERE = 'I answer only in DMs and in the channels listed in discord_allowed_channels (and their threads).';

export async function handleInteraction(deps: InteractionDeps, interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) await handleCommand(deps, interaction);
  else if (interaction.isButton()) await handleButton(deps, interaction);
}

async function handleCommand(deps: InteractionDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  const text = commandText(interaction.commandName, interaction.options.getString('message'));
  if (text === undefined) return privately(interaction, `I do not know /${interaction.commandName}; try /help.`);
  const served = await admit(deps, interaction);
  if (!served) return;
  await interaction.deferReply();
  await runTurn(deps, {
    text,
    ctx: { user: { id: userIdOf(interaction.user.id), name: interaction.user.displayName }, channel: 'discord', conversationId: served.conversationId, signal: deps.signal },
    askerId: interaction.user.id,
    surface: interactionSurface(interaction, 'original'),
  });
}

async function handleButton(deps: InteractionDeps, interaction: ButtonInteraction): Promise<void> {
  const action = parseCustomId(interaction.customId);
  if (!action) return privately(interaction, 'This button no longer does anything.');
  const served = await admit(deps, interaction);
  if (!served) return;
  if (action.kind === 'confirm' && action.askerId !== interaction.user.id) {
    return privately(interaction, `Only <@${action.askerId}> can answer this question: it is about what they asked.`);
  }
  const messageId = interaction.message.id;
  if (deps.decided.has(messageId)) return privately(interaction, 'This question has already been answered.');
  if (deps.decided.size >= 10_000) deps.decided.clear();
  deps.decided.add(messageId);
  await interaction.update({ content: withLine(interaction.message.content, decisionLine(action, interaction.user.displayName)), components: [], allowedMentions: { parse: [] } });
  await runTurn(deps, {
    text: turnText(action),
    ctx: { user: { id: userIdOf(interaction.user.id), name: interaction.user.displayName }, channel: 'discord', conversationId: served.conversationId, signal: deps.signal },
    askerId: interaction.user.id,
    surface: interactionSurface(interaction, 'followUp'),
  });
}

/** Allowed here, and within the rate: the conversation; otherwise answered privately and undefined. */
async function admit(deps: InteractionDeps, interaction: RepliableInteraction): Promise<{ conversationId: string } | undefined> {
  const place: Place = interaction.channel ? placeOf(interaction.channel) : { kind: interaction.inGuild() ? 'other' : 'dm', channelId: interaction.channelId ?? '' };
  const decision = decideInteraction(deps.allow, interaction.user.id, place);
  if (decision.action !== 'serve') {
    const stranger = !deps.allow.users.has(interaction.user.id);
    if (stranger) deps.logger.info({ discordUser: interaction.user.id }, 'discord: refused an interaction from a user who is not on discord_allowed_users');
    await privately(interaction, stranger ? REFUSAL : NOT_HERE);
    return undefined;
  }
  const wait = deps.rate.take(userIdOf(interaction.user.id));
  if (wait !== undefined) {
    await privately(interaction, `Slow down a little: I take your next message in ${wait} s.`);
    return undefined;
  }
  return { conversationId: decision.conversationId };
}

async function privately(interaction: RepliableInteraction, content: string): Promise<void> {
  await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** The question's text with the decision below it, still within the limit. */
export function withLine(content: string, line: string): string {
  const room = DISCORD_LIMIT - line.length - 2;
  const body = content.length <= room ? content : `${content.slice(0, room - 1)}…`;
  return body === '' ? line : `${body}\n\n${line}`;
}
