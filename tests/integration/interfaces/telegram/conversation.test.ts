// A conversation in Telegram: the answer streams into one message edited as the model writes,
// ends exactly as the orchestrator's reply, and a long one continues in further messages. Each
// chat is its own conversation of the person writing, on the owner's telegram channel.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../helpers/eventually.ts';
import { BOT_USER, groupChat } from '../../../helpers/fake-telegram.ts';
import { ALEX, SAM, reply, startWorld, type World } from './world.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('Telegram conversation', () => {
  it('streams the answer by editing one message, and ends with exactly the reply', async () => {
    const w = (world = await startWorld());
    expect(w.channel.health()).toEqual({ state: 'connected', account: `@${BOT_USER.username}` });
    const shows = (text: string) => () => w.tg.chat(ALEX.id).at(-1)?.text === text;
    w.runner.script = () => [
      { type: 'start', turnId: 't', conversationId: 'c' },
      { type: 'delta', text: 'The porch light' },
      { type: 'pause', until: shows('The porch light'), what: 'the first words in the chat' },
      { type: 'delta', text: ' is on,' },
      { type: 'pause', until: shows('The porch light is on,'), what: 'an edit with more words' },
      { type: 'delta', text: ' and the door is locked.\n' },
      { type: 'done', turnId: 't', conversationId: 'c', reply: 'The porch light is on, and the door is locked.\n', agent: 'main', route: 'ha' },
    ];
    w.tg.sendText(ALEX, 'how is the porch?');
    await eventually(shows('The porch light is on, and the door is locked.'), 'the final answer');

    const [answer] = w.tg.chat(ALEX.id);
    expect(w.tg.chat(ALEX.id)).toHaveLength(1);
    expect(answer.texts).toEqual(['The porch light', 'The porch light is on,', 'The porch light is on, and the door is locked.']);
    expect(w.tg.callsOf('sendChatAction')[0]).toMatchObject({ chat_id: ALEX.id, action: 'typing' });
    expect(w.runner.turns).toHaveLength(1);
    const { text, ctx } = w.runner.turns[0];
    expect(text).toBe('how is the porch?');
    expect(ctx).toMatchObject({ user: { id: 'telegram:1001', name: 'Alex' }, channel: 'telegram', conversationId: 'telegram-1001' });
  });

  it('splits a long answer at 4096 characters: the streamed message holds the first part, the rest follows', async () => {
    const w = (world = await startWorld());
    const paragraph = (n: number) => `${`Paragraph ${n}: `.padEnd(990, 'x')}.`;
    const long = Array.from({ length: 9 }, (_, i) => paragraph(i + 1)).join('\n\n');
    w.runner.script = () => reply(long, { chunks: long.match(/[\s\S]{1,700}/g) ?? [] });
    w.tg.sendText(ALEX, 'tell me everything');
    await eventually(() => w.tg.chat(ALEX.id).map((m) => m.text).join('\n\n') === long, 'the whole answer in the chat');

    const parts = w.tg.chat(ALEX.id);
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(4096);
    expect(parts[0].text.startsWith('Paragraph 1:')).toBe(true);
    expect(parts[1].text.startsWith('Paragraph 5:')).toBe(true);
  });

  it('/start greets and lists the commands; the command menu is registered', async () => {
    const w = (world = await startWorld());
    expect(w.tg.commands.map((c) => c.command)).toEqual(expect.arrayContaining(['help', 'plans', 'rules', 'agents']));
    w.runner.script = (text) => reply(text === '/help' ? 'Commands (answered without the LLM): ...' : 'no');
    w.tg.sendText(ALEX, '/start');
    await eventually(() => w.tg.chat(ALEX.id).length === 2, 'greeting and help');
    const [hello, help] = w.tg.chat(ALEX.id);
    expect(hello.text).toMatch(/^👋 Hi Alex! I'm Wactorz/);
    expect(help.text).toBe('Commands (answered without the LLM): ...');
    expect(w.runner.turns.map((t) => t.text)).toEqual(['/help']);
  });

  it('in a group: each chat is one conversation; only commands, mentions and replies to the bot run turns', async () => {
    const w = (world = await startWorld());
    const group = groupChat(-100200, 'Home');
    w.tg.sendText(ALEX, 'we should get pizza', { chat: group });
    w.tg.sendText(ALEX, '/help@other_bot', { chat: group });
    w.tg.sendText(ALEX, '/rules@wactorz_test_bot', { chat: group });
    w.tg.sendText(SAM, '@wactorz_test_bot turn on the kitchen light', { chat: group });
    await eventually(() => w.tg.chat(group.id).length === 2, 'two answers in the group');
    const [first] = w.tg.chat(group.id);
    w.tg.sendText(ALEX, 'and the hallway?', { chat: group, replyTo: first });
    await eventually(() => w.tg.chat(group.id).length === 3, 'the answer to a reply');

    expect(w.runner.turns.map((t) => [t.text, t.ctx.user.id, t.ctx.conversationId])).toEqual([
      ['/rules', 'telegram:1001', 'telegram--100200'],
      ['turn on the kitchen light', 'telegram:1002', 'telegram--100200'],
      ['and the hallway?', 'telegram:1001', 'telegram--100200'],
    ]);
  });

  it('a photo reaches the model with its caption: the largest size, for that turn', async () => {
    const w = (world = await startWorld());
    w.tg.sendPhoto(ALEX, [{ width: 90, height: 60, bytes: Buffer.from('small') }, { width: 1280, height: 853, bytes: Buffer.from('large') }], 'what is this?');
    await eventually(() => w.runner.turns.length === 1, 'a turn for the photo');
    const { text, ctx } = w.runner.turns[0];
    expect(text).toBe('what is this?');
    expect(ctx.images).toEqual([{ type: 'image', mediaType: 'image/jpeg', data: Buffer.from('large').toString('base64') }]);
    expect(ctx).toMatchObject({ user: { id: 'telegram:1001' }, conversationId: 'telegram-1001' });

    // A photo alone asks what it shows; an image sent as a file is pointed to the photo button.
    w.tg.sendPhoto(ALEX, [{ width: 640, height: 480, bytes: Buffer.from('porch') }]);
    await eventually(() => w.runner.turns.length === 2, 'a turn for the photo without a caption');
    expect(w.runner.turns[1].text).toBe('What is in this picture?');
  });
});
