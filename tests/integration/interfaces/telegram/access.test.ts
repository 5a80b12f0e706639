// Only the people on telegram_allowed_users talk to Wactorz: a stranger is refused politely (told
// the id the owner would add), once rather than once per message, and no turn runs. Allowed
// people are rate-limited per person, with a message that says when to try again.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../helpers/eventually.ts';
import { groupChat } from '../../../helpers/fake-telegram.ts';
import { ALEX, SAM, STRANGER, startWorld, type World } from './world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('Telegram access', () => {
  it('an unknown user gets a polite refusal with their id, and nothing runs', async () => {
    const w = (world = await startWorld());
    w.tg.sendText(STRANGER, 'unlock the front door');
    w.tg.sendText(STRANGER, '/plans approve a1b2c3d4');
    w.tg.sendText(ALEX, 'hello');
    await eventually(() => w.tg.chat(ALEX.id).length === 1 && w.tg.pendingUpdates() === 0, 'every update handled');
    const refusals = w.tg.chat(STRANGER.id);
    expect(refusals).toHaveLength(1);
    expect(refusals[0].text).toMatch(/^Sorry, this is a private Wactorz home assistant/);
    expect(refusals[0].text).toContain('6666');
    expect(w.runner.turns.map((t) => t.text)).toEqual(['hello']);
    expect(w.logs.join('\n')).toContain('refused a person not on telegram_allowed_users');
  });

  it('in a group, a stranger chatting among people is ignored; addressing the bot is refused', async () => {
    const w = (world = await startWorld());
    const group = groupChat(-100300, 'Home');
    w.tg.sendText(STRANGER, 'anyone for pizza?', { chat: group });
    w.tg.sendText(STRANGER, '/agents', { chat: group });
    await eventually(() => w.tg.chat(group.id).length === 1, 'one refusal');
    expect(w.tg.chat(group.id)[0].text).toMatch(/not on its list of allowed users/);
    expect(w.runner.turns).toEqual([]);
  });

  it('more than the per-minute limit is refused with a clear message, answered once, per person', async () => {
    const w = (world = await startWorld({ perMinute: 3 }));
    for (let i = 1; i <= 5; i++) w.tg.sendText(ALEX, `message ${i}`);
    w.tg.sendText(SAM, 'mine is fine');
    await eventually(() => w.tg.pendingUpdates() === 0 && w.tg.chat(ALEX.id).length === 4 && w.tg.chat(SAM.id).length === 1, 'three answers and one refusal for Alex, one answer for Sam');
    const turnsOf = (id: string) => w.runner.turns.filter((t) => t.ctx.user.id === id).map((t) => t.text);
    expect(turnsOf('telegram:1001')).toEqual(['message 1', 'message 2', 'message 3']);
    expect(turnsOf('telegram:1002')).toEqual(['mine is fine']);
    const texts = w.tg.chat(ALEX.id).map((m) => m.text);
    expect(texts.filter((t) => t.startsWith('⏳'))).toHaveLength(1);
    expect(texts.find((t) => t.startsWith('⏳'))).toMatch(/more than 3 messages a minute.*Try again in \d+ s/);
  });
});
