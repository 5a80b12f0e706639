// Which messages are meant for the bot, and the text of the turn they become. In a private chat
// every message is. In a group people talk to each other: only a command, an @mention of the bot
// or a reply to one of its messages is (with privacy mode on, the default, Telegram delivers
// little else anyway), so a group conversation never turns into a stream of turns. Telegram
// suffixes commands in groups with the bot's name (`/help@wactorz_bot`), and a command for another
// bot (`/help@other_bot`) is not ours; the orchestrator's slash commands know neither.
import type { Message } from 'grammy/types';

export type Addressed =
  /** Telegram's own first message from a new chat: a greeting, then /help. */
  | { kind: 'start' }
  | { kind: 'text'; text: string };

export interface BotIdentity {
  id: number;
  username: string;
}

/** The turn a text message asks for, or undefined when it is not addressed to this bot. */
export function addressed(message: Pick<Message, 'text' | 'chat' | 'reply_to_message'>, bot: BotIdentity): Addressed | undefined {
  const raw = message.text?.trim();
  if (!raw) return undefined;
  const isPrivate = message.chat.type === 'private';
  const command = /^\/([A-Za-z0-9_-]+)(?:@([A-Za-z0-9_]+))?(?=\s|$)/.exec(raw);
  if (command) {
    const target = command[2];
    if (target !== undefined && target.toLowerCase() !== bot.username.toLowerCase()) return undefined;
    if (command[1].toLowerCase() === 'start') return { kind: 'start' };
    return { kind: 'text', text: `/${command[1]}${raw.slice(command[0].length)}` };
  }
  const mention = new RegExp(`@${escapeRegExp(bot.username)}\\b`, 'gi');
  const mentioned = mention.test(raw);
  const repliesToBot = message.reply_to_message?.from?.id === bot.id;
  if (!isPrivate && !mentioned && !repliesToBot) return undefined;
  const text = raw.replace(mention, ' ').replace(/\s{2,}/g, ' ').trim();
  return text === '' ? { kind: 'text', text: raw } : { kind: 'text', text };
}

/** In a group, only a command, a mention or a reply to the bot deserves even a refusal. */
export function addressesBot(message: Pick<Message, 'text' | 'caption' | 'chat' | 'reply_to_message'>, bot: BotIdentity): boolean {
  if (message.chat.type === 'private') return true;
  const text = message.text ?? message.caption ?? '';
  if (message.reply_to_message?.from?.id === bot.id) return true;
  if (new RegExp(`@${escapeRegExp(bot.username)}\\b`, 'i').test(text)) return true;
  const command = /^\/[A-Za-z0-9_-]+(?:@([A-Za-z0-9_]+))?/.exec(text);
  return command !== null && (command[1] === undefined || command[1].toLowerCase() === bot.username.toLowerCase());
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
