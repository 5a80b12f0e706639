// agent.notify and rule notifications with a `telegram:<id>` target reach the person in Telegram
// through the channel registry, split at Telegram's limit; a target not on the allow list is
// refused with a message the agent can act on, and nothing is sent to it.
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelAwareNotifier } from '../../../../server/src/interfaces/channels/notifier.ts';
import { ChannelRegistry } from '../../../../server/src/interfaces/channels/registry.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { groupChat, privateChat } from '../../../helpers/fake-telegram.ts';
import { ALEX, STRANGER, startWorld, type World } from './world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

function notifierFor(w: World): ChannelAwareNotifier {
  const registry = new ChannelRegistry();
  registry.add(w.channel);
  return new ChannelAwareNotifier(registry, undefined);
}

describe('Telegram notifications', () => {
  it('a telegram:<user id> notification is delivered to that allowed person', async () => {
    const w = (world = await startWorld());
    w.tg.knowChat(privateChat(ALEX));
    const notifier = notifierFor(w);
    await notifier.notify('door-watch', { target: 'telegram:1001', title: 'Front door', message: 'The front door has been open for 10 minutes.' });
    expect(w.tg.chat(ALEX.id).map((m) => m.text)).toEqual(['Front door\nThe front door has been open for 10 minutes.']);
  });

  it('a long notification is split at 4096 characters', async () => {
    const w = (world = await startWorld());
    w.tg.knowChat(privateChat(ALEX));
    const notifier = notifierFor(w);
    const report = Array.from({ length: 60 }, (_, i) => `Sensor ${i}: ${'reading '.repeat(12).trim()}`).join('\n');
    await notifier.notify('report', { target: 'telegram:1001', title: 'Daily report', message: report });
    const parts = w.tg.chat(ALEX.id).map((m) => m.text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(`Daily report\n${report}`);
  });

  it('a stranger is never notified; a group an allowed person talked in may be', async () => {
    const w = (world = await startWorld());
    w.tg.knowChat(privateChat(STRANGER));
    const notifier = notifierFor(w);
    await expect(notifier.notify('x', { target: 'telegram:6666', message: 'hi' })).rejects.toThrow(/not on telegram_allowed_users/);
    await expect(notifier.notify('x', { target: 'telegram:@alex', message: 'hi' })).rejects.toThrow(/not a Telegram chat id/);
    expect(w.tg.chat(STRANGER.id)).toEqual([]);

    const group = groupChat(-100400, 'Family');
    await expect(notifier.notify('x', { target: 'telegram:-100400', message: 'hi' })).rejects.toThrow(/not on telegram_allowed_users/);
    w.tg.sendText(ALEX, '/rules@wactorz_test_bot', { chat: group });
    await eventually(() => w.tg.chat(group.id).length === 1, 'the answer in the group');
    await notifier.notify('x', { target: 'telegram:-100400', title: 'Alarm', message: 'armed' });
    expect(w.tg.chat(group.id).at(-1)?.text).toBe('Alarm\narmed');
  });

  it('an allowed person who never opened a chat with the bot: the refusal says to press Start', async () => {
    const w = (world = await startWorld());
    const notifier = notifierFor(w);
    await expect(notifier.notify('x', { target: 'telegram:1002', message: 'hi' })).rejects.toThrow(/has not started a chat with @wactorz_test_bot.*press Start/);
  });
});
