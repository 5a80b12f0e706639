import { describe, expect, it } from 'vitest';
import { addressed, addressesBot } from '../../../../server/src/interfaces/telegram/addressing.ts';

const bot = { id: 77, username: 'wactorz_bot' };
const dm = { type: 'private', id: 1, first_name: 'A' } as const;
const group = { type: 'group', id: -5, title: 'Home' } as const;

describe('which Telegram messages are for the bot', () => {
  it('in a private chat, every text; commands lose an @botname suffix; /start is the greeting', () => {
    expect(addressed({ chat: dm, text: ' turn on the light ' }, bot)).toEqual({ kind: 'text', text: 'turn on the light' });
    expect(addressed({ chat: dm, text: '/help@wactorz_bot plans' }, bot)).toEqual({ kind: 'text', text: '/help plans' });
    expect(addressed({ chat: dm, text: '/plans approve a1b2c3d4' }, bot)).toEqual({ kind: 'text', text: '/plans approve a1b2c3d4' });
    expect(addressed({ chat: dm, text: '/start' }, bot)).toEqual({ kind: 'start' });
    expect(addressed({ chat: dm, text: '/START@Wactorz_Bot' }, bot)).toEqual({ kind: 'start' });
    expect(addressed({ chat: dm, text: '   ' }, bot)).toBeUndefined();
  });

  it('in a group, only commands for this bot, mentions and replies to it', () => {
    expect(addressed({ chat: group, text: 'pizza tonight?' }, bot)).toBeUndefined();
    expect(addressed({ chat: group, text: '/help@other_bot' }, bot)).toBeUndefined();
    expect(addressed({ chat: group, text: '/rules' }, bot)).toEqual({ kind: 'text', text: '/rules' });
    expect(addressed({ chat: group, text: 'hey @wactorz_bot is the door locked?' }, bot)).toEqual({ kind: 'text', text: 'hey is the door locked?' });
    expect(addressed({ chat: group, text: 'and the garage?', reply_to_message: { from: { id: 77 } } as never }, bot)).toEqual({ kind: 'text', text: 'and the garage?' });
    expect(addressed({ chat: group, text: 'and the garage?', reply_to_message: { from: { id: 12 } } as never }, bot)).toBeUndefined();
    // A longer name that starts with the bot's is someone else.
    expect(addressed({ chat: group, text: 'ask @wactorz_bot2 instead' }, bot)).toBeUndefined();
  });

  it('what deserves even a refusal: everything in private, only what addresses the bot in groups', () => {
    expect(addressesBot({ chat: dm, text: 'hi' }, bot)).toBe(true);
    expect(addressesBot({ chat: group, text: 'hi all' }, bot)).toBe(false);
    expect(addressesBot({ chat: group, caption: 'look @wactorz_bot' }, bot)).toBe(true);
    expect(addressesBot({ chat: group, text: '/agents' }, bot)).toBe(true);
    expect(addressesBot({ chat: group, text: '/agents@someone_else_bot' }, bot)).toBe(false);
  });
});
