// The Discord channel's health as GET /api/health shows it, against the fake Discord: a refused
// token (at login, or reset while running) and a refused Message Content intent stop the
// channel with a message saying what to change, and the token is never logged; a dropped
// gateway connection shows as reconnecting until discord.js has resumed; an unreachable Discord
// is retried with backoff until it answers; stop() closes the gateway connection.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordChannel } from '../../../../server/src/interfaces/discord/channel.ts';
import { startFakeDiscord, type FakeDiscord } from '../../../helpers/fake-discord/index.ts';
import { capturingLogger, eventually, ScriptedRunner, startWorld, type World } from './harness.ts';

let world: World | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await world?.close();
  world = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

const WRONG_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.this-token-must-never-be-logged';

describe('Discord channel health', () => {
  it('a token Discord refuses: failed, with what to do, nothing logged of the token, and nothing runs', async () => {
    world = await startWorld({ token: WRONG_TOKEN, waitConnected: false });
    const { channel, fake, lines, runner } = world;
    await eventually(() => channel.health().state === 'failed', () => `failed (health: ${JSON.stringify(channel.health())})`);
    expect(channel.health()).toEqual({
      state: 'failed',
      error: 'Discord refused the bot token. Copy it again from the Developer Portal (your application → Bot → Reset Token) into the discord_bot_token option and restart the add-on. (401)',
    });
    expect(fake.callsTo('GET', /^\/gateway\/bot$/)).toHaveLength(1);
    expect(fake.gateway.identifies).toEqual([]);
    expect(lines.some((l) => l.includes('refused the bot token'))).toBe(true);
    expect(lines.join('\n')).not.toContain('this-token-must-never-be-logged');
    expect(lines.join('\n')).not.toContain(fake.token);
    await expect(channel.send(world.alice.id, 'hello')).rejects.toThrow(/^Discord is not connected \(failed: Discord refused the bot token/);
    expect(runner.turns).toEqual([]);
  });

  it('a token reset while running: the resume is refused with 4004 and the channel stops', async () => {
    world = await startWorld();
    const { channel, fake, lines } = world;
    const oldToken = fake.token;
    fake.token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.reset.a-new-token';
    fake.gateway.drop(4000);
    await eventually(() => channel.health().state === 'failed', () => `failed (health: ${JSON.stringify(channel.health())})`);
    expect(channel.health().error).toBe('Discord refused the bot token. Copy it again from the Developer Portal (your application → Bot → Reset Token) into the discord_bot_token option and restart the add-on. (close code 4004)');
    expect(lines.join('\n')).not.toContain(oldToken);
  });

  it('the Message Content intent not enabled for the bot: failed, saying where to turn it on', async () => {
    world = await startWorld({ fake: { refuseMessageContent: true }, waitConnected: false });
    const { channel, lines, fake } = world;
    await eventually(() => channel.health().state === 'failed', () => `failed (health: ${JSON.stringify(channel.health())})`);
    expect(channel.health().error).toBe('Discord refused the Message Content intent (close code 4014). Turn it on in the Developer Portal (your application → Bot → Privileged Gateway Intents → Message Content Intent) and restart the add-on.');
    expect(lines.join('\n')).not.toContain(fake.token);
  });

  it('a dropped gateway connection shows as reconnecting, then connected once discord.js has resumed; messages flow again', async () => {
    world = await startWorld();
    const { channel, fake, alice } = world;
    const states = new Set<string>();
    fake.gateway.drop(4000);
    await eventually(() => {
      states.add(channel.health().state);
      return states.has('reconnecting') && channel.health().state === 'connected';
    }, () => `reconnecting, then connected (seen: ${[...states].join(', ')})`);
    expect(fake.gateway.resumes).toBe(1);
    expect(channel.health()).toEqual({ state: 'connected', account: 'wactorz' });
    const dm = fake.dmChannel(alice);
    fake.dm(alice, 'still there?');
    await eventually(() => fake.botMessages(dm.id).length === 1, 'the answer after the resume');
  });

  it('Discord unreachable at start: reconnecting with the reason, retried with backoff until it answers', async () => {
    const port = await freePort();
    const { logger, lines } = capturingLogger();
    const channel = new DiscordChannel({
      token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.unreachable.token',
      allowedUsers: [],
      allowedChannels: [],
      apiRoot: `http://127.0.0.1:${port}/api`,
      runner: new ScriptedRunner(),
      logger,
      retryMs: { base: 50, max: 200 },
    });
    cleanups.push(() => channel.stop());
    await channel.start();
    await eventually(() => channel.health().state === 'reconnecting', () => `reconnecting (health: ${JSON.stringify(channel.health())})`, 30_000);
    expect(channel.health().error).toMatch(/^Discord could not be reached: .+; retrying in \d+ s$/);

    const fake: FakeDiscord = await startFakeDiscord({ port, token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.unreachable.token' });
    cleanups.push(() => fake.close());
    await eventually(() => channel.health().state === 'connected', () => `connected once Discord answers (health: ${JSON.stringify(channel.health())})`, 30_000);
    expect(lines.some((l) => l.includes('discord_allowed_users is empty'))).toBe(true);
    expect(lines.join('\n')).not.toContain('unreachable.token');
  }, 60_000);

  it('stop() closes the gateway connection promptly', async () => {
    world = await startWorld();
    const { channel, fake } = world;
    expect(fake.gateway.connected).toBe(1);
    await channel.stop();
    await eventually(() => fake.gateway.connected === 0, 'the gateway connection closed');
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
