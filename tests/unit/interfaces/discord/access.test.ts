// Who the Discord bot serves and where: by ids on the allow lists only.
import { describe, expect, it } from 'vitest';
import { allowList, conversationOf, decideInteraction, decideMessage, placeOf } from '../../../../server/src/interfaces/discord/access.ts';

const list = allowList(['111', '222'], ['900']);

describe('Discord access', () => {
  it('places from discord.js channel types', () => {
    expect(placeOf({ id: '5', type: 1 })).toEqual({ kind: 'dm', channelId: '5' });
    expect(placeOf({ id: '900', type: 0 })).toEqual({ kind: 'channel', channelId: '900' });
    expect(placeOf({ id: '6', type: 11, parentId: '900' })).toEqual({ kind: 'thread', channelId: '6', parentId: '900' });
    expect(placeOf({ id: '7', type: 2 })).toEqual({ kind: 'other', channelId: '7' });
  });

  it('serves allowed users in DMs, allowed channels (starting a thread) and their threads', () => {
    expect(decideMessage(list, '111', { kind: 'dm', channelId: '5' })).toEqual({ action: 'serve', conversationId: 'discord-dm-5', startThread: false });
    expect(decideMessage(list, '111', { kind: 'channel', channelId: '900' })).toEqual({ action: 'serve', conversationId: 'discord-channel-900', startThread: true });
    expect(decideMessage(list, '222', { kind: 'thread', channelId: '6', parentId: '900' })).toEqual({ action: 'serve', conversationId: 'discord-thread-6', startThread: false });
  });

  it('refuses a stranger in a DM, ignores one in a channel, and ignores everyone elsewhere', () => {
    expect(decideMessage(list, '333', { kind: 'dm', channelId: '5' })).toEqual({ action: 'refuse' });
    expect(decideMessage(list, '333', { kind: 'channel', channelId: '900' })).toEqual({ action: 'ignore' });
    expect(decideMessage(list, '111', { kind: 'channel', channelId: '901' })).toEqual({ action: 'ignore' });
    expect(decideMessage(list, '111', { kind: 'thread', channelId: '6', parentId: '901' })).toEqual({ action: 'ignore' });
    expect(decideMessage(list, '111', { kind: 'thread', channelId: '6', parentId: null })).toEqual({ action: 'ignore' });
    expect(decideMessage(list, '111', { kind: 'other', channelId: '900' })).toEqual({ action: 'ignore' });
  });

  it('interactions: refused (privately) unless an allowed user in an allowed place; never a thread', () => {
    expect(decideInteraction(list, '111', { kind: 'channel', channelId: '900' })).toEqual({ action: 'serve', conversationId: 'discord-channel-900', startThread: false });
    expect(decideInteraction(list, '333', { kind: 'dm', channelId: '5' })).toEqual({ action: 'refuse' });
    expect(decideInteraction(list, '111', { kind: 'channel', channelId: '901' })).toEqual({ action: 'refuse' });
  });

  it('a conversation per DM, thread or channel', () => {
    expect(conversationOf({ kind: 'thread', channelId: '6', parentId: '900' })).toBe('discord-thread-6');
  });
});
