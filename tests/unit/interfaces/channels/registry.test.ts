import { describe, expect, it } from 'vitest';
import type { ChatChannel } from '../../../../server/src/interfaces/channels/channel.ts';
import { ChannelAwareNotifier } from '../../../../server/src/interfaces/channels/notifier.ts';
import { ChannelRegistry, parseChannelTarget } from '../../../../server/src/interfaces/channels/registry.ts';
import { UserRateLimit } from '../../../../server/src/interfaces/channels/user-rate.ts';

function fakeChannel(sent: [string, string][]): ChatChannel {
  return {
    name: 'telegram',
    start: async () => {},
    stop: async () => {},
    health: () => ({ state: 'connected', account: '@home_bot' }),
    send: async (to, text) => {
      if (to !== '42') throw new Error(`${to} is not an allowed Telegram user`);
      sent.push([to, text]);
    },
  };
}

describe('chat channel targets', () => {
  it('parses channel:recipient and nothing else', () => {
    expect(parseChannelTarget('telegram:123')).toEqual({ channel: 'telegram', to: '123' });
    expect(parseChannelTarget(' whatsapp:+31612345678 ')).toEqual({ channel: 'whatsapp', to: '+31612345678' });
    expect(parseChannelTarget('mobile_app_pixel_7')).toBeUndefined();
    expect(parseChannelTarget('telegram:')).toBeUndefined();
    expect(parseChannelTarget('signal:1')).toBeUndefined();
  });

  it('delivers to the channel, reports health, and says which channel is not set up', async () => {
    const sent: [string, string][] = [];
    const registry = new ChannelRegistry();
    registry.add(fakeChannel(sent));
    await registry.send('telegram:42', 'door opened');
    expect(sent).toEqual([['42', 'door opened']]);
    expect(registry.health()).toEqual({ telegram: { state: 'connected', account: '@home_bot' } });
    await expect(registry.send('discord:1', 'x')).rejects.toThrow('The discord channel is not set up');
    await expect(registry.send('telegram:7', 'x')).rejects.toThrow('7 is not an allowed Telegram user');
  });

  it('sends channel targets to the channel and the rest to Home Assistant', async () => {
    const sent: [string, string][] = [];
    const registry = new ChannelRegistry();
    registry.add(fakeChannel(sent));
    const ha: string[] = [];
    const notifier = new ChannelAwareNotifier(registry, { notify: async (agent, n) => void ha.push(`${agent}:${n.target ?? '-'}:${n.message}`) });
    await notifier.notify('door-watch', { message: 'Front door opened', target: 'telegram:42' });
    await notifier.notify('door-watch', { message: 'Front door opened', target: 'mobile_app_pixel_7' });
    expect(sent).toEqual([['42', 'door-watch\nFront door opened']]);
    expect(ha).toEqual(['door-watch:mobile_app_pixel_7:Front door opened']);
    await expect(new ChannelAwareNotifier(registry, undefined).notify('a', { message: 'm' })).rejects.toThrow('Home Assistant is not connected');
  });
});

describe('UserRateLimit', () => {
  it('takes N turns per minute per user and says how long to wait', () => {
    let now = 0;
    const limit = new UserRateLimit(2, () => now);
    expect(limit.take('a')).toBeUndefined();
    expect(limit.take('a')).toBeUndefined();
    expect(limit.take('b')).toBeUndefined();
    now = 20_000;
    expect(limit.take('a')).toBe(40);
    now = 60_001;
    expect(limit.take('a')).toBeUndefined();
  });
});
