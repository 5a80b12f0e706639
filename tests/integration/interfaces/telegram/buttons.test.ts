// Proposals and sensitive confirmations as inline buttons: a tap runs exactly the turn the person
// could have typed (`/plans approve <id>`, "yes"), in the same conversation, and the buttons give
// way to what was chosen. Every tap is acknowledged (answerCallbackQuery), refused ones included.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../helpers/eventually.ts';
import { ALEX, SAM, STRANGER, plan, reply, startWorld, type World } from './world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

function answered(w: World, id: string): boolean {
  return w.tg.answerOf(id)?.answered === true;
}

describe('Telegram buttons', () => {
  it('a proposal is shown with Approve / Reject; Approve runs /plans approve <id> in the same conversation', async () => {
    const w = (world = await startWorld());
    w.runner.script = (text) =>
      text.startsWith('/plans approve')
        ? reply('Plan a1b2c3d4 approved: rule porch-sunset is running.')
        : reply('Here is a plan for the porch light.', { proposals: [plan('a1b2c3d4')] });
    w.tg.sendText(ALEX, 'turn the porch light on at sunset');
    await eventually(() => w.tg.chat(ALEX.id).length === 2, 'the answer and the proposal card');
    const card = w.tg.chat(ALEX.id)[1];
    expect(card.text).toMatch(/^📋 Proposal a1b2c3d4: Porch light at sunset/);
    expect(card.reply_markup?.inline_keyboard[0].map((b) => [b.text, 'callback_data' in b ? b.callback_data : ''])).toEqual([
      ['✅ Approve', 'plan:approve:a1b2c3d4'],
      ['❌ Reject', 'plan:reject:a1b2c3d4'],
    ]);

    const tap = w.tg.tap(ALEX, card, 'plan:approve:a1b2c3d4');
    await eventually(() => w.tg.chat(ALEX.id).length === 3, 'the outcome of the approval');
    expect(answered(w, tap)).toBe(true);
    expect(w.runner.turns.map((t) => [t.text, t.ctx.conversationId, t.ctx.user.id])).toEqual([
      ['turn the porch light on at sunset', 'telegram-1001', 'telegram:1001'],
      ['/plans approve a1b2c3d4', 'telegram-1001', 'telegram:1001'],
    ]);
    expect(card.reply_markup).toBeUndefined();
    expect(card.text).toMatch(/\n\n✅ Approve, chosen by Alex$/);
    expect(w.tg.chat(ALEX.id)[2].text).toBe('Plan a1b2c3d4 approved: rule porch-sunset is running.');

    // A second tap on the decided card (a double tap, an old client) decides nothing again.
    const again = w.tg.tap(ALEX, card, 'plan:approve:a1b2c3d4');
    await eventually(() => answered(w, again), 'the second tap acknowledged');
    expect(w.tg.answerOf(again)?.text).toMatch(/decided already/);
    expect(w.runner.turns).toHaveLength(2);
  });

  it('Reject runs /plans reject <id>', async () => {
    const w = (world = await startWorld());
    w.runner.script = (text) => (text.startsWith('/plans') ? reply('Plan ffff0000 rejected.') : reply('A plan.', { proposals: [plan('ffff0000')] }));
    w.tg.sendText(ALEX, 'plan: something');
    await eventually(() => w.tg.chat(ALEX.id).length === 2, 'the card');
    w.tg.tap(ALEX, w.tg.chat(ALEX.id)[1], 'plan:reject:ffff0000');
    await eventually(() => w.tg.chat(ALEX.id).length === 3, 'the rejection');
    expect(w.runner.turns.at(-1)?.text).toBe('/plans reject ffff0000');
    expect(w.tg.chat(ALEX.id)[1].text).toMatch(/❌ Reject, chosen by Alex$/);
  });

  it('a sensitive confirmation gets Yes / No; Yes runs "yes" in the same conversation', async () => {
    const w = (world = await startWorld());
    w.runner.script = (text) =>
      text === 'yes' ? reply('Done: unlocked Front Door.') : reply('Unlock Front Door? This is a sensitive action. Answer yes or no.', { awaiting: 'confirmation' });
    w.tg.sendText(ALEX, 'unlock the front door');
    await eventually(() => w.tg.chat(ALEX.id)[0]?.reply_markup !== undefined, 'the question with buttons');
    const question = w.tg.chat(ALEX.id)[0];
    expect(question.reply_markup?.inline_keyboard[0].map((b) => b.text)).toEqual(['✅ Yes', '❌ No']);

    // Someone else in the allow list cannot answer Alex's question for Alex.
    const other = w.tg.tap(SAM, question, 'confirm:yes');
    await eventually(() => answered(w, other), 'the other person’s tap acknowledged');
    expect(w.tg.answerOf(other)?.text).toMatch(/for the person who asked/);

    const tap = w.tg.tap(ALEX, question, 'confirm:yes');
    await eventually(() => w.tg.chat(ALEX.id).length === 2, 'the outcome');
    expect(answered(w, tap)).toBe(true);
    expect(w.runner.turns.map((t) => [t.text, t.ctx.conversationId])).toEqual([
      ['unlock the front door', 'telegram-1001'],
      ['yes', 'telegram-1001'],
    ]);
    expect(question.text).toBe('Unlock Front Door? This is a sensitive action. Answer yes or no.\n\n✅ Yes, answered by Alex');
    expect(question.reply_markup).toBeUndefined();
    expect(w.tg.chat(ALEX.id)[1].text).toBe('Done: unlocked Front Door.');
  });

  it('typing an answer closes the question: its buttons go, and a late tap runs nothing', async () => {
    const w = (world = await startWorld());
    w.runner.script = (text) => (text === 'no' ? reply('Cancelled.') : reply('Open the garage? Answer yes or no.', { awaiting: 'confirmation' }));
    w.tg.sendText(ALEX, 'open the garage');
    await eventually(() => w.tg.chat(ALEX.id)[0]?.reply_markup !== undefined, 'the question');
    const question = w.tg.chat(ALEX.id)[0];
    w.tg.sendText(ALEX, 'no');
    await eventually(() => w.tg.chat(ALEX.id).length === 2 && question.reply_markup === undefined, 'the typed answer and the buttons gone');

    const late = w.tg.tap(ALEX, question, 'confirm:yes');
    await eventually(() => answered(w, late), 'the late tap acknowledged');
    expect(w.tg.answerOf(late)?.text).toMatch(/no longer open/);
    expect(w.runner.turns.map((t) => t.text)).toEqual(['open the garage', 'no']);
  });

  it('a tap from someone not allowed is acknowledged with a refusal and runs nothing', async () => {
    const w = (world = await startWorld());
    w.runner.script = () => reply('A plan.', { proposals: [plan('abcd1234')] });
    w.tg.sendText(ALEX, 'plan: x');
    await eventually(() => w.tg.chat(ALEX.id).length === 2, 'the card');
    const card = w.tg.chat(ALEX.id)[1];
    const tap = w.tg.tap(STRANGER, card, 'plan:approve:abcd1234');
    await eventually(() => answered(w, tap), 'the refusal');
    expect(w.tg.answerOf(tap)?.text).toMatch(/Only the people this assistant serves/);
    expect(w.runner.turns).toHaveLength(1);
    expect(card.reply_markup).toBeDefined();

    // Forged callback data is not a button of ours.
    const forged = w.tg.tap(ALEX, card, 'plan:approve:x; /budget 0');
    await eventually(() => answered(w, forged), 'the forged tap acknowledged');
    expect(w.tg.answerOf(forged)?.text).toMatch(/no longer works/);
    expect(w.runner.turns).toHaveLength(1);
  });
});
