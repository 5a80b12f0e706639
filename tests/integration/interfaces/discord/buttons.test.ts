// Buttons and slash commands on Discord, real discord.js against the fake: a proposal approved
// (or rejected) by a click runs the `/plans approve <id>` turn a typed message would; a
// confirmation's Yes runs "yes", and only for the person asked; strangers get an ephemeral
// refusal; `/wactorz` and `/help` are registered, deferred and answered in their response.
import { afterEach, describe, expect, it } from 'vitest';
import { splitMessage } from '../../../../server/src/interfaces/channels/split.ts';
import { answer, eventually, plan, startWorld, type World } from './harness.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const EPHEMERAL = 64;

describe('Discord buttons', () => {
  it('a proposal gets Approve / Reject; a click runs /plans approve <id> in the same conversation and updates the question', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    runner.script = (text) =>
      text.startsWith('/plans approve')
        ? answer('Plan 3fa9c2d1 approved: rule front-door-notify is running.')
        : answer('I can notify you when the front door opens. Approve?', { proposal: plan('3fa9c2d1'), awaiting: 'approval' });
    const dm = fake.dmChannel(alice);
    fake.dm(alice, 'tell me when the front door opens');
    await eventually(() => fake.botMessages(dm.id)[0]?.components.length === 1, 'the proposal with buttons');
    const [question] = fake.botMessages(dm.id);
    expect(question.content).toBe('I can notify you when the front door opens. Approve?');
    expect(fake.buttonsOf(question)).toEqual(['wactorz:plan:approve:3fa9c2d1', 'wactorz:plan:reject:3fa9c2d1']);

    const click = fake.click(alice, question.id, 'wactorz:plan:approve:3fa9c2d1');
    await eventually(() => fake.botMessages(dm.id).length === 2, 'the follow-up with the result');
    expect(runner.turns.map((t) => t.text)).toEqual(['tell me when the front door opens', '/plans approve 3fa9c2d1']);
    expect(runner.turns[1].ctx.conversationId).toBe(runner.turns[0].ctx.conversationId);
    expect(click.callbacks.map((c) => c.type)).toEqual([7]);
    expect(question.components).toEqual([]);
    expect(question.content).toBe('I can notify you when the front door opens. Approve?\n\n✅ Approved by Alice');
    expect(fake.botMessages(dm.id)[1].content).toBe('Plan 3fa9c2d1 approved: rule front-door-notify is running.');

    // A second click on the same question (another client still showing the button) runs nothing.
    const again = fake.click(alice, question.id, 'wactorz:plan:approve:3fa9c2d1');
    await eventually(() => again.callbacks.length === 1, 'the second click answered');
    expect(again.callbacks[0]).toMatchObject({ type: 4, data: { content: 'This question has already been answered.', flags: EPHEMERAL } });
    expect(runner.turns).toHaveLength(2);
  });

  it('Reject in a thread runs /plans reject <id> in that thread', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    runner.script = (text) => (text.startsWith('/plans') ? answer('Plan 77aa00bb rejected.') : answer('Proposal: …', { proposal: plan('77aa00bb') }));
    const threadId = fake.say(alice, fake.wactorzChannel.id, 'close the blinds at sunset');
    await eventually(() => fake.botMessages(threadId)[0]?.components.length === 1, 'the proposal in the thread');
    fake.click(alice, fake.botMessages(threadId)[0].id, 'wactorz:plan:reject:77aa00bb');
    await eventually(() => fake.botMessages(threadId).length === 2, 'the result');
    expect(runner.turns.map((t) => [t.text, t.ctx.conversationId])).toEqual([
      ['close the blinds at sunset', `discord-thread-${threadId}`],
      ['/plans reject 77aa00bb', `discord-thread-${threadId}`],
    ]);
    expect(fake.botMessages(threadId)[0].content).toBe('Proposal: …\n\n❌ Rejected by Alice');
  });

  it('a confirmation gets Yes / No; only the asker may answer, and Yes runs "yes" in their conversation', async () => {
    world = await startWorld();
    const { fake, runner, alice, bob } = world;
    runner.script = (text) => (text === 'yes' ? answer('Done: unlock Front Door.') : answer('Unlock the front door? This is a sensitive action.', { awaiting: 'confirmation' }));
    const threadId = fake.say(alice, fake.wactorzChannel.id, 'unlock the front door');
    await eventually(() => fake.botMessages(threadId)[0]?.components.length === 1, 'the question with buttons');
    const [question] = fake.botMessages(threadId);
    expect(fake.buttonsOf(question)).toEqual([`wactorz:confirm:yes:${alice.id}`, `wactorz:confirm:no:${alice.id}`]);

    const byBob = fake.click(bob, question.id, `wactorz:confirm:yes:${alice.id}`);
    await eventually(() => byBob.callbacks.length === 1, "bob's click answered");
    expect(byBob.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: `Only <@${alice.id}> can answer this question: it is about what they asked.` } });
    expect(runner.turns).toHaveLength(1);

    fake.click(alice, question.id, `wactorz:confirm:yes:${alice.id}`);
    await eventually(() => fake.botMessages(threadId).length === 2, 'the result');
    expect(runner.turns.map((t) => t.text)).toEqual(['unlock the front door', 'yes']);
    expect(runner.turns[1].ctx).toMatchObject({ user: { id: `discord:${alice.id}` }, conversationId: `discord-thread-${threadId}` });
    expect(fake.botMessages(threadId)[1].content).toBe('Done: unlock Front Door.');
    expect(question.content).toBe('Unlock the front door? This is a sensitive action.\n\n✅ Alice answered yes');
  });

  it("a stranger's click is refused privately and runs nothing; the buttons stay", async () => {
    world = await startWorld();
    const { fake, runner, alice, stranger } = world;
    runner.script = () => answer('Proposal: …', { proposal: plan('0badc0de') });
    const threadId = fake.say(alice, fake.wactorzChannel.id, 'make a rule');
    await eventually(() => fake.botMessages(threadId)[0]?.components.length === 1, 'the proposal');
    const [question] = fake.botMessages(threadId);
    const click = fake.click(stranger, question.id, 'wactorz:plan:approve:0badc0de');
    await eventually(() => click.callbacks.length === 1, 'the refusal');
    expect(click.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(String(click.callbacks[0].data?.content)).toMatch(/only talk with the people my owner has allowed/);
    expect(runner.turns).toHaveLength(1);
    expect(fake.buttonsOf(question)).toHaveLength(2);
  });
});

describe('Discord slash commands', () => {
  it('/wactorz and /help are registered for guilds and DMs', async () => {
    world = await startWorld();
    const { fake } = world;
    expect(fake.callsTo('PUT', new RegExp(`^/applications/${fake.applicationId}/commands$`))).toHaveLength(1);
    expect(fake.commands.map((c) => [c.name, c.contexts])).toEqual([['wactorz', [0, 1]], ['help', [0, 1]]]);
    expect(fake.commands[0].options).toMatchObject([{ name: 'message', type: 3, required: true, max_length: 4000 }]);
  });

  it('/wactorz message:<text> is deferred, then answered in its response; /help runs the orchestrator\'s /help', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    const it1 = fake.slash(alice, 'dm', 'wactorz', { message: 'is the garage closed?' });
    await eventually(() => it1.originalId !== undefined && fake.messages.get(it1.originalId)?.content === 'You said: is the garage closed?', 'the answer in the response');
    expect(it1.callbacks.map((c) => c.type)).toEqual([5]);
    expect(fake.callsTo('PATCH', new RegExp(`^/webhooks/${fake.applicationId}/${it1.token}/messages/@original$`)).length).toBeGreaterThanOrEqual(1);
    expect(runner.turns[0]).toMatchObject({ text: 'is the garage closed?', ctx: { conversationId: `discord-dm-${fake.dmChannel(alice).id}` } });

    const it2 = fake.slash(alice, fake.wactorzChannel.id, 'help');
    await eventually(() => it2.originalId !== undefined && fake.messages.get(it2.originalId)?.content === 'You said: /help', 'the /help answer');
    expect(runner.turns[1]).toMatchObject({ text: '/help', ctx: { conversationId: `discord-channel-${fake.wactorzChannel.id}` } });
  });

  it('a long slash answer continues in follow-ups', async () => {
    world = await startWorld();
    const { fake, runner, alice } = world;
    const long = 'All the sensors are fine. '.repeat(120);
    runner.script = () => answer(long);
    const it1 = fake.slash(alice, 'dm', 'wactorz', { message: 'status' });
    await eventually(() => fake.callsTo('POST', new RegExp(`^/webhooks/${fake.applicationId}/${it1.token}$`)).length === 1, 'the follow-up');
    const original = fake.messages.get(it1.originalId ?? '');
    const followUp = [...fake.messages.values()].filter((m) => m.webhook_id && m.id !== it1.originalId);
    expect([original?.content, ...followUp.map((m) => m.content)]).toEqual(splitMessage(long, 2000));
    expect(splitMessage(long, 2000)).toHaveLength(2);
  });

  it('a stranger\'s command, or one in a channel that is not allowed, is refused privately and runs nothing', async () => {
    world = await startWorld();
    const { fake, runner, alice, stranger } = world;
    const byStranger = fake.slash(stranger, 'dm', 'wactorz', { message: 'unlock the door' });
    const elsewhere = fake.slash(alice, fake.generalChannel.id, 'wactorz', { message: 'unlock the door' });
    await eventually(() => byStranger.callbacks.length === 1 && elsewhere.callbacks.length === 1, 'both refusals');
    expect(byStranger.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(String(byStranger.callbacks[0].data?.content)).toMatch(/only talk with the people my owner has allowed/);
    expect(elsewhere.callbacks[0]).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'I answer only in DMs and in the channels listed in discord_allowed_channels (and their threads).' } });
    expect(runner.turns).toEqual([]);
  });
});
