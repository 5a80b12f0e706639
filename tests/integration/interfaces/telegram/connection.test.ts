// The channel's connection as the owner sees it in GET /api/health: connected with the bot's
// name; a refused token stops only this channel, says so clearly and never shows the token; a
// Bot API that goes away is retried with backoff until it is back; flood control is waited out.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../helpers/eventually.ts';
import { ALEX, reply, startWorld, type World } from './world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('Telegram connection', () => {
  it('a bad token: health says failed with a clear message, polling stops, and no log line holds the token', async () => {
    const badToken = '987654321:AAHwrong-secret-value_abcdefghijkl';
    const w = (world = await startWorld({ token: badToken }));
    expect(w.channel.health()).toEqual({ state: 'failed', error: 'the bot token was refused (401 Unauthorized); check telegram_bot_token, from @BotFather' });
    expect(w.tg.calls.map((c) => c.method)).toEqual(['getMe']);
    expect(w.logs.join('\n')).toContain('the bot token was refused');
    expect(w.logs.join('\n')).not.toContain('AAHwrong-secret-value');
    await expect(w.channel.send(String(ALEX.id), 'hello')).rejects.toThrow(/not working: the bot token was refused/);
  });

  it('reconnects after the Bot API drops, and answers again', async () => {
    const w = (world = await startWorld());
    w.tg.sendText(ALEX, 'before');
    await eventually(() => w.tg.chat(ALEX.id).length === 1, 'the first answer');

    await w.tg.drop();
    await eventually(() => w.channel.health().state === 'reconnecting', () => `reconnecting, health is ${JSON.stringify(w.channel.health())}`);
    const down = w.channel.health();
    expect(down.error).toMatch(/^the Bot API cannot be reached/);
    expect(down.account).toBe('@wactorz_test_bot');
    expect(w.logs.join('\n')).toContain('connection problem, retrying');
    expect(w.logs.join('\n')).not.toContain(w.tg.token.split(':')[1]);

    await w.tg.resume();
    await eventually(() => w.channel.health().state === 'connected', 'connected again');
    w.tg.sendText(ALEX, 'after');
    await eventually(() => w.tg.chat(ALEX.id).length === 2, 'the answer after the reconnect');
    expect(w.runner.turns.map((t) => t.text)).toEqual(['before', 'after']);
  });

  it('a 429 on the final answer is waited out as retry_after asks, and the answer arrives', async () => {
    const w = (world = await startWorld());
    w.tg.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    w.runner.script = () => reply('All lights are off.');
    w.tg.sendText(ALEX, 'lights?');
    await eventually(() => w.tg.chat(ALEX.id).length === 1, 'the answer after the flood wait');
    expect(w.tg.chat(ALEX.id)[0].text).toBe('All lights are off.');
    expect(w.tg.callsOf('sendMessage')).toHaveLength(2);
  });

  it('stop() ends the open long poll, with every handled update confirmed (a restart does not repeat them)', async () => {
    const w = (world = await startWorld({ pollTimeoutSeconds: 30 }));
    w.tg.sendText(ALEX, 'open the garage');
    await eventually(() => w.tg.chat(ALEX.id).length === 1, 'the answer');
    await w.channel.stop();
    expect(w.channel.health().state).toBe('connected');
    expect(w.tg.pendingUpdates()).toBe(0);
    const polls = w.tg.callsOf('getUpdates');
    expect(polls.at(-1)).toMatchObject({ offset: 500_001 });
  });
});
