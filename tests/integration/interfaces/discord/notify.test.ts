// Notifications to Discord: agent.notify and rules' notification actions with a `discord:<id>`
// target go through the channel registry to the Discord channel, which DMs an allowed user (or
// posts in an allowed channel), split at 2000 characters, and refuses anyone else.
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelAwareNotifier } from '../../../../server/src/interfaces/channels/notifier.ts';
import { ChannelRegistry } from '../../../../server/src/interfaces/channels/registry.ts';
import { splitMessage } from '../../../../server/src/interfaces/channels/split.ts';
import { startWorld, type World } from './harness.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('Discord notifications', () => {
  it('agent.notify to discord:<allowed user> arrives as a DM from the bot', async () => {
    world = await startWorld();
    const { fake, channel, alice } = world;
    const registry = new ChannelRegistry();
    registry.add(channel);
    const notifier = new ChannelAwareNotifier(registry, undefined);
    await notifier.notify('front-door-notify', { target: `discord:${alice.id}`, title: 'Front door', message: 'The front door opened at 18:02.' });
    const dm = fake.dmChannel(alice);
    expect(fake.callsTo('POST', /^\/users\/@me\/channels$/).map((c) => c.body)).toEqual([{ recipient_id: alice.id }]);
    expect(fake.botMessages(dm.id).map((m) => m.content)).toEqual(['Front door\nThe front door opened at 18:02.']);
  });

  it('a long notification is split; one to an allowed channel is posted there', async () => {
    world = await startWorld();
    const { fake, channel, bob } = world;
    const registry = new ChannelRegistry();
    registry.add(channel);
    const report = 'Energy report: the heat pump ran for 6 hours today. '.repeat(60);
    await registry.send(`discord:${bob.id}`, report);
    expect(fake.botMessages(fake.dmChannel(bob).id).map((m) => m.content)).toEqual(splitMessage(report, 2000));
    await registry.send(`discord:${fake.wactorzChannel.id}`, 'Washing machine done.');
    expect(fake.botMessages(fake.wactorzChannel.id).map((m) => m.content)).toEqual(['Washing machine done.']);
  });

  it('a target that is not allowed is refused and nothing is sent', async () => {
    world = await startWorld();
    const { fake, channel, stranger } = world;
    const registry = new ChannelRegistry();
    registry.add(channel);
    await expect(registry.send(`discord:${stranger.id}`, 'hello')).rejects.toThrow(`discord:${stranger.id} is not on discord_allowed_users or discord_allowed_channels; Wactorz sends Discord messages only to those`);
    await expect(registry.send(`discord:${fake.generalChannel.id}`, 'hello')).rejects.toThrow(/is not on discord_allowed_users/);
    expect(fake.callsTo('POST', /messages|channels$/)).toEqual([]);
  });
});
