// Talking to Wactorz on Discord: the real discord.js client against the fake Discord (REST and
// gateway v10), a scripted orchestrator behind it. DMs and allowed channels are answered (a
// thread per conversation), answers stream by edits and end exact, long ones are split at 2000,
// strangers are refused (DM) or ignored (channel) and nothing runs for them.
import { afterEach, describe, expect, it } from 'vitest';
import { splitMessage } from '../../../../server/src/interfaces/channels/split.ts';
import { answer, eventually, startWorld, type World } from './harness.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('Discord conversations', () => {
  it('connects with the intents it needs, no compression, and reports the bot account', async () => {
    world = await startWorld();
    const { fake, channel } = world;
    expect(channel.health()).toEqual({ state: 'connected', account: 'wactorz' });
    expect(fake.gateway.connectQueries).toEqual(['v=10&encoding=json']);
    // Guilds | GuildMessages | DirectMessages | MessageContent
    expect(fake.gateway.identifies.map((i) => i.intents)).toEqual([1 | (1 << 9) | (1 << 12) | (1 << 15)]);
  });

  it('a DM is answered by one streamed message: posted at the first words, edited as more arrive, exactly the reply at the end', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    const dm = fake.dmChannel(alice);
    const shown = (): string[] => fake.botMessages(dm.id).flatMap((m) => m.versions.map((v) => v.content));
    runner.script = async function* () {
      yield { type: 'start', turnId: 't1', conversationId: 'c' };
      yield { type: 'delta', text: 'The porch light' };
      await eventually(() => shown().includes('The porch light'), 'the first words posted');
      yield { type: 'delta', text: ' is on' };
      await eventually(() => shown().includes('The porch light is on'), 'an edit with more words');
      yield { type: 'delta', text: ', and the door is locked.' };
      yield { type: 'done', turnId: 't1', conversationId: 'c', reply: 'The porch light is on, and the door is locked.', agent: 'main', route: 'ha' };
    };
    fake.dm(alice, 'is the porch light on?');
    await eventually(() => fake.botMessages(dm.id)[0]?.content === 'The porch light is on, and the door is locked.', 'the final reply');

    const [reply] = fake.botMessages(dm.id);
    expect(fake.botMessages(dm.id)).toHaveLength(1);
    expect(reply.versions[0].content).toBe('The porch light');
    expect(reply.versions.length).toBeGreaterThanOrEqual(3);
    expect(fake.callsTo('PATCH', new RegExp(`^/channels/${dm.id}/messages/${reply.id}$`)).length).toBe(reply.versions.length - 1);
    expect(runner.turns).toHaveLength(1);
    expect(runner.turns[0].text).toBe('is the porch light on?');
    expect(runner.turns[0].ctx).toMatchObject({ user: { id: `discord:${alice.id}`, name: 'Alice' }, channel: 'discord', conversationId: `discord-dm-${dm.id}` });
    // Nothing pings: every post and edit disables mentions.
    expect(fake.calls.filter((c) => /messages/.test(c.path) && c.method !== 'DELETE').every((c) => JSON.stringify((c.body as { allowed_mentions?: unknown }).allowed_mentions) === '{"parse":[]}')).toBe(true);
  });

  it('a message in an allowed channel starts a thread, and the thread is the conversation from then on', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    const first = fake.say(alice, fake.wactorzChannel.id, 'Turn on the kitchen lights\nplease');
    await eventually(() => fake.threadsOf(fake.wactorzChannel.id).length === 1 && fake.botMessages(first).length === 1, 'a thread with the answer');
    const [thread] = fake.threadsOf(fake.wactorzChannel.id);
    expect(thread).toMatchObject({ id: first, name: 'Turn on the kitchen lights' });
    expect(fake.botMessages(thread.id)[0].content).toBe('You said: Turn on the kitchen lights\nplease');
    expect(fake.botMessages(fake.wactorzChannel.id)).toEqual([]);

    fake.say(alice, thread.id, 'and the hallway');
    await eventually(() => fake.botMessages(thread.id).length === 2, 'the second answer in the thread');
    expect(fake.threadsOf(fake.wactorzChannel.id)).toHaveLength(1);
    expect(fake.botMessages(thread.id)[1].content).toBe('You said: and the hallway');
    expect(runner.turns.map((t) => t.ctx.conversationId)).toEqual([`discord-thread-${thread.id}`, `discord-thread-${thread.id}`]);
  });

  it('a thread the bot never heard of (not in its cache) is looked up and answered if its channel is allowed', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    const old = fake.unseenThread(fake.wactorzChannel.id, 'an old conversation');
    const elsewhere = fake.unseenThread(fake.generalChannel.id, 'not ours');
    fake.say(alice, elsewhere.id, 'hello there');
    fake.say(alice, old.id, 'hello again');
    await eventually(() => fake.botMessages(old.id).length === 1, 'the answer in the old thread');
    expect(fake.callsTo('GET', new RegExp(`^/channels/(${old.id}|${elsewhere.id})$`))).toHaveLength(2);
    expect(fake.botMessages(elsewhere.id)).toEqual([]);
    expect(runner.turns.map((t) => [t.text, t.ctx.conversationId])).toEqual([['hello again', `discord-thread-${old.id}`]]);
  });

  it('without permission to start threads, the bot answers in the channel itself', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    fake.refuseThreads = true;
    fake.say(alice, fake.wactorzChannel.id, 'is the oven off?');
    await eventually(() => fake.botMessages(fake.wactorzChannel.id).length === 1, 'the answer in the channel');
    expect(fake.botMessages(fake.wactorzChannel.id)[0].content).toBe('You said: is the oven off?');
    expect(runner.turns[0].ctx.conversationId).toBe(`discord-channel-${fake.wactorzChannel.id}`);
    expect(world.lines.some((l) => l.includes('could not start a thread'))).toBe(true);
  });

  it("the bot's mention is dropped and other mentions become names; the rest of the text is kept as written", async () => {
    world = await startWorld();
    const { fake, runner, alice, bob } = world;
    const threadId = fake.say(alice, fake.wactorzChannel.id, `<@${fake.bot.id}> remind <@${bob.id}> at 8:\n\n  - take out the bins`);
    await eventually(() => fake.botMessages(threadId).length === 1, 'the answer');
    expect(runner.turns[0].text).toBe('remind @Bob at 8:\n\n  - take out the bins');
  });

  it('an answer longer than 2000 characters is split into several messages, each within the limit', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    const long = Array.from({ length: 60 }, (_, i) => `Line ${i + 1}: ${'the living room sensor reported a steady temperature '.repeat(2)}`).join('\n');
    runner.script = () => answer(long, { chunks: [long.slice(0, 1500), long.slice(1500, 3500), long.slice(3500)] });
    const dm = fake.dmChannel(alice);
    fake.dm(alice, 'tell me everything');
    const expected = splitMessage(long, 2000);
    expect(expected.length).toBeGreaterThan(2);
    await eventually(() => JSON.stringify(fake.botMessages(dm.id).map((m) => m.content)) === JSON.stringify(expected), () => `the split answer (have ${fake.botMessages(dm.id).map((m) => m.content.length).join(', ')})`);
    expect(fake.botMessages(dm.id).every((m) => m.versions.every((v) => v.content.length <= 2000))).toBe(true);
  });

  it('a stranger is refused once in a DM and ignored in a channel; nothing runs for them', async () => {
    world = await startWorld();
    const { fake, runner, stranger, alice } = world;
    const dm = fake.dmChannel(stranger);
    fake.dm(stranger, 'open the garage');
    await eventually(() => fake.botMessages(dm.id).length === 1, 'the refusal');
    expect(fake.botMessages(dm.id)[0].content).toMatch(/only talk with the people my owner has allowed/);
    fake.dm(stranger, 'please?');
    fake.say(stranger, fake.wactorzChannel.id, 'open the garage');
    // alice's DM after the stranger's messages: once it is answered, theirs have been handled.
    const aliceDm = fake.dmChannel(alice);
    fake.dm(alice, 'hello');
    await eventually(() => fake.botMessages(aliceDm.id).length === 1, "alice's answer");
    expect(fake.botMessages(dm.id)).toHaveLength(1);
    expect(fake.threadsOf(fake.wactorzChannel.id)).toEqual([]);
    expect(runner.turns.map((t) => t.text)).toEqual(['hello']);
  });

  it('an allowed user in a channel that is not allowed is ignored', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    fake.say(alice, fake.generalChannel.id, 'turn off everything');
    const aliceDm = fake.dmChannel(alice);
    fake.dm(alice, 'hello');
    await eventually(() => fake.botMessages(aliceDm.id).length === 1, "alice's DM answer");
    expect(fake.botMessages(fake.generalChannel.id)).toEqual([]);
    expect(fake.threadsOf(fake.generalChannel.id)).toEqual([]);
    expect(runner.turns.map((t) => t.text)).toEqual(['hello']);
  });

  it('too many messages in a minute: the next one is answered with when to try again, and no turn runs', async () => {
    world = await startWorld({ channel: { turnsPerMinute: 2 } });
    const { fake, runner, alice } = world;
    const dm = fake.dmChannel(alice);
    for (const text of ['one', 'two', 'three']) {
      const before = fake.botMessages(dm.id).length;
      fake.dm(alice, text);
      await eventually(() => fake.botMessages(dm.id).length === before + 1, `the answer to ${text}`);
    }
    expect(fake.botMessages(dm.id)[2].content).toMatch(/^Slow down a little: I take your next message in \d+ s\.$/);
    expect(runner.turns.map((t) => t.text)).toEqual(['one', 'two']);
  });

  it('a turn that fails is answered with why', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    runner.script = async function* () {
      yield { type: 'error', code: 'budget', message: 'the daily budget is spent' };
    };
    const dm = fake.dmChannel(alice);
    fake.dm(alice, 'hello');
    await eventually(() => fake.botMessages(dm.id).length === 1, 'the answer');
    expect(fake.botMessages(dm.id)[0].content).toBe('Wactorz could not answer: the daily budget is spent');
  });

  it('a picture goes to the model with the text beside it; a picture alone asks what it shows; other files are refused', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    const dm = fake.dmChannel(alice);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    fake.dmFile(alice, 'what is on the porch?', { filename: 'porch.png', contentType: 'image/png', bytes: png });
    await eventually(() => runner.turns.length === 1, 'a turn for the picture');
    expect(runner.turns[0].text).toBe('what is on the porch?');
    expect(runner.turns[0].ctx.images).toEqual([{ type: 'image', mediaType: 'image/png', data: png.toString('base64') }]);

    fake.dmFile(alice, '', { filename: 'cam.jpg', contentType: 'image/jpeg', bytes: Buffer.from('jpeg') });
    await eventually(() => runner.turns.length === 2, 'a turn for the picture alone');
    expect(runner.turns[1].text).toBe('What is in this picture?');

    await eventually(() => fake.botMessages(dm.id).length === 2, 'both answers');
    fake.dmFile(alice, '', { filename: 'bill.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF') });
    await eventually(() => fake.botMessages(dm.id).length === 3, 'the refusal');
    expect(fake.botMessages(dm.id).at(-1)?.content).toBe('I read text and pictures only: write me what you would like.');
    expect(runner.turns).toHaveLength(2);
  });
});
