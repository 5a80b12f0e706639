// A message to the bot: decided by access.ts (served, refused once, ignored), limited per user,
// then one turn. In an allowed channel the bot starts a thread on the message and answers
// there; the thread is the conversation from then on. Bots, the bot's own echoes and system
// messages are never answered (two bots could otherwise talk forever on the owner's budget).
import { cleanContent, type Message } from 'discord.js';
import { MAX_CHAT_MESSAGE } from '../../contract/chat.ts';
import type { UserRateLimit } from '../channels/user-rate.ts';
import { conversationOf, decideMessage, placeOf, REFUSAL, userIdOf, type AllowList } from './access.ts';
import { channelSurface } from './surfaces.ts';
import { runTurn, type TurnDeps } from './turn.ts';
import { downloadImages, imageAttachments } from './images.ts';
import type { ImagePart } from '../../llm/messages.ts';

export interface MessageDeps extends TurnDeps {
  allow: AllowList;
  rate: UserRateLimit;
  /** Strangers already told no (one refusal each, not one per message). */
  refused: Set<string>;
  signal: AbortSignal;
}

/** Thread names: the message's first line, within Discord's 100-character limit. */
export function threadName(text: string): string {
  const line = text.split('\n', 1)[0].replace(/\s+/g, ' ').trim();
  return line.length <= 90 ? line || 'Wactorz' : `${line.slice(0, 89)}…`;
}

/**
 * The text without the bot's own mention ("@Wactorz turn on the porch light"); the rest is kept
 * as written (indentation and blank lines matter in YAML or code a person pastes).
 */
export function withoutMention(content: string, botId: string): string {
  return content.replace(new RegExp(`[ \t]*<@!?${botId}>[ \t]*`, 'g'), ' ').trim();
}

const MAX_REFUSED = 10_000;

export async function handleMessage(deps: MessageDeps, message: Message): Promise<void> {
  if (message.author.bot || message.system || message.webhookId) return;
  let place = placeOf(message.channel);
  // A thread missing from discord.js's cache arrives as a partial channel without its parent;
  // ask Discord for it rather than ignore a thread of an allowed channel.
  if (place.kind === 'thread' && place.parentId === null) place = placeOf(await message.channel.fetch());
  const decision = decideMessage(deps.allow, message.author.id, place);
  if (decision.action === 'ignore') return;
  if (decision.action === 'refuse') {
    if (deps.refused.has(message.author.id)) return;
    if (deps.refused.size >= MAX_REFUSED) deps.refused.clear();
    deps.refused.add(message.author.id);
    deps.logger.info({ discordUser: message.author.id }, 'discord: refused a user who is not on discord_allowed_users');
    await message.reply({ content: REFUSAL, allowedMentions: { parse: [] } });
    return;
  }

  // Other mentions become names ("<@123>" → "@Alice"): the model knows no Discord ids.
  const written = cleanContent(withoutMention(message.content, message.client.user.id), message.channel);
  const pictures = imageAttachments(message.attachments);
  // A picture alone asks what it shows.
  const text = written === '' && pictures.length > 0 ? 'What is in this picture?' : written;
  if (text === '') {
    await message.reply({ content: 'I read text and pictures only: write me what you would like.', allowedMentions: { parse: [] } });
    return;
  }
  if (text.length > MAX_CHAT_MESSAGE) {
    await message.reply({ content: `That message is too long for me (over ${MAX_CHAT_MESSAGE} characters); please shorten it.`, allowedMentions: { parse: [] } });
    return;
  }
  const userId = userIdOf(message.author.id);
  const wait = deps.rate.take(userId);
  if (wait !== undefined) {
    await message.reply({ content: `Slow down a little: I take your next message in ${wait} s.`, allowedMentions: { parse: [] } });
    return;
  }

  let conversationId = decision.conversationId;
  let channel = message.channel;
  if (decision.startThread && message.inGuild()) {
    try {
      const thread = await message.startThread({ name: threadName(text), autoArchiveDuration: 1440 });
      conversationId = conversationOf({ kind: 'thread', channelId: thread.id, parentId: message.channelId });
      channel = thread;
    } catch (err) {
      // Most often a missing permission: answering in the channel beats not answering.
      deps.logger.warn({ err }, 'discord: could not start a thread (give the bot "Create Public Threads" and "Send Messages in Threads"); answering in the channel');
    }
  }
  if (!channel.isSendable()) return;
  // "Wactorz is typing…" until the first words arrive (Discord shows it for ten seconds).
  channel.sendTyping().catch(() => undefined);
  let images: ImagePart[];
  try {
    images = await downloadImages(pictures, deps.signal);
  } catch (err) {
    deps.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'discord: a picture could not be downloaded');
    await channel.send({ content: 'I could not fetch that picture from Discord; please send it again.', allowedMentions: { parse: [] } });
    return;
  }
  await runTurn(deps, {
    text,
    ctx: { user: { id: userId, name: message.author.displayName }, channel: 'discord', conversationId, signal: deps.signal, ...(images.length > 0 ? { images } : {}) },
    askerId: message.author.id,
    surface: channelSurface(channel),
  });
}
