// The WhatsApp channel over real HTTP both ways: our Fastify app (the real access guard, with an
// API key set) receives webhooks signed as Meta signs them, and the channel answers through a
// local Graph API (tests/helpers/fake-whatsapp.ts). The orchestrator is a scripted TurnRunner, so
// each test says exactly which turns ran.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { TurnContext } from '../../../../server/src/agents/main/turn-context.ts';
import type { ChatEvent } from '../../../../server/src/contract/chat.ts';
import type { Plan } from '../../../../server/src/contract/plans.ts';
import { buildApp } from '../../../../server/src/http/app.ts';
import type { TurnRunner } from '../../../../server/src/interfaces/channels/channel.ts';
import { ChannelRegistry } from '../../../../server/src/interfaces/channels/registry.ts';
import { WhatsAppChannel } from '../../../../server/src/interfaces/whatsapp/channel.ts';
import { WHATSAPP_WEBHOOK_PATH, whatsappWebhook } from '../../../../server/src/interfaces/whatsapp/webhook.ts';
import { eventually } from '../../../helpers/eventually.ts';
import {
  buttonReply,
  FAKE_APP_SECRET,
  FAKE_PHONE_NUMBER_ID,
  FAKE_VERIFY_TOKEN,
  FAKE_WA_TOKEN,
  imageMessage,
  messagePayload,
  postWebhook,
  sign,
  startFakeWhatsApp,
  statusPayload,
  textMessage,
  type FakeWhatsApp,
} from '../../../helpers/fake-whatsapp.ts';
import { healthy } from '../../../helpers/http-app.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

const OWNER = '31612345678';
const STRANGER = '447700900123';
const API_KEY = 'test-api-key-0123456789';

type Script = (text: string, ctx: TurnContext) => ChatEvent[];

function done(reply: string, ctx: TurnContext, extra: Partial<Extract<ChatEvent, { type: 'done' }>> = {}): ChatEvent {
  return { type: 'done', turnId: 't1', conversationId: ctx.conversationId, reply, agent: 'main', route: 'other', ...extra };
}

const plan: Plan = {
  id: '7f3a9c2e',
  conversation_id: `whatsapp-${OWNER}`,
  title: 'Porch light at sunset',
  summary: 'Turns the porch light on at sunset.',
  status: 'pending',
  created_at: '2026-01-01T12:00:00.000Z',
  agents: [],
  validation: { ok: true, errors: [], warnings: [] },
  rule_id: null,
  reason: null,
};

class ScriptedRunner implements TurnRunner {
  readonly turns: { text: string; ctx: TurnContext }[] = [];
  script: Script = (text, ctx) => [done(`You said: ${text}`, ctx)];

  async *process(text: string, ctx: TurnContext): AsyncIterable<ChatEvent> {
    this.turns.push({ text, ctx });
    for (const ev of this.script(text, ctx)) yield ev;
  }
}

interface World {
  fake: FakeWhatsApp;
  runner: ScriptedRunner;
  channel: WhatsAppChannel;
  app: FastifyInstance;
  url: string;
  logs: string[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world(opts: { token?: string; apiRoot?: string } = {}): Promise<World> {
  const fake = await startFakeWhatsApp();
  cleanups.push(() => fake.close());
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _enc, cb) => (logs.push(chunk.toString()), cb()) }));
  const runner = new ScriptedRunner();
  const channel = new WhatsAppChannel({
    settings: { accessToken: opts.token ?? FAKE_WA_TOKEN, phoneNumberId: FAKE_PHONE_NUMBER_ID, allowedNumbers: [`+${OWNER}`], apiRoot: opts.apiRoot ?? fake.apiRoot },
    runner,
    logger,
  });
  cleanups.push(() => channel.stop());
  const tmp = makeTempDir();
  cleanups.push(() => tmp.cleanup());
  const app = await buildApp({
    health: { ...healthy, channels: () => ({ whatsapp: channel.health() }) },
    startedAt: new Date(),
    panelDir: `${tmp.path}/no-panel`,
    access: { apiKey: API_KEY, webhookPaths: [WHATSAPP_WEBHOOK_PATH] },
    interfaceRoutes: [whatsappWebhook({ appSecret: FAKE_APP_SECRET, verifyToken: FAKE_VERIFY_TOKEN, phoneNumberId: FAKE_PHONE_NUMBER_ID, onMessages: (m) => channel.receive(m) })],
  });
  cleanups.push(() => app.close());
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  await channel.start();
  return { fake, runner, channel, app, url: `${address}${WHATSAPP_WEBHOOK_PATH}`, logs };
}

describe('WhatsApp webhook', () => {
  it('answers the subscription handshake with the challenge only for our verify token', async () => {
    const w = await world();
    const ok = await fetch(`${w.url}?hub.mode=subscribe&hub.verify_token=${FAKE_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${w.url}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('1158201444');
    expect((await fetch(`${w.url}?hub.challenge=1`)).status).toBe(403);
  });

  it('refuses a forged, missing or other-secret signature with 401 and runs nothing; other API paths still need the key', async () => {
    const w = await world();
    const payload = messagePayload(OWNER, textMessage('unlock the front door'));
    expect((await postWebhook(w.url, payload, { signature: null })).status).toBe(401);
    expect((await postWebhook(w.url, payload, { signature: `sha256=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await postWebhook(w.url, payload, { appSecret: 'another-apps-secret' })).status).toBe(401);
    // A body changed after signing (re-serialised with spaces) no longer matches.
    const body = JSON.stringify(payload);
    const tampered = await fetch(w.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body: JSON.stringify(payload, null, 1) });
    expect(tampered.status).toBe(401);
    // The exemption is that one path: the rest of the API still wants the key.
    expect((await fetch(w.url.replace(WHATSAPP_WEBHOOK_PATH, '/api/plans'))).status).toBe(401);
    // A correctly signed status update is taken and runs nothing either.
    expect((await postWebhook(w.url, statusPayload(OWNER))).status).toBe(200);
    expect(w.runner.turns).toEqual([]);
    expect(w.fake.sent).toEqual([]);
  });

  it('a text from an allowed number is one turn in their conversation, answered to that number', async () => {
    const w = await world();
    const res = await postWebhook(w.url, messagePayload(OWNER, textMessage('is the garage open?'), { name: 'Alex', id: 'wamid.A1' }));
    expect(res.status).toBe(200);
    await eventually(() => w.fake.sent.length === 1, 'the answer');
    expect(w.fake.sent).toEqual([{ to: OWNER, type: 'text', text: 'You said: is the garage open?' }]);
    expect(w.runner.turns.map((t) => [t.text, t.ctx.user, t.ctx.channel, t.ctx.conversationId])).toEqual([
      ['is the garage open?', { id: `whatsapp:${OWNER}`, name: 'Alex' }, 'whatsapp', `whatsapp-${OWNER}`],
    ]);
    // The person saw blue ticks and "typing…" while the turn ran.
    await eventually(() => w.fake.reads.length === 1, 'the read receipt');
    expect(w.fake.reads).toEqual(['wamid.A1']);
  });

  it('a proposal comes with Approve / Reject buttons, and pressing Approve is the /plans approve turn', async () => {
    const w = await world();
    w.runner.script = (text, ctx) =>
      text === '/plans approve 7f3a9c2e' ? [done('Approved: the rule "Porch light at sunset" is on.', ctx)] : [{ type: 'proposal', plan }, done('I can turn the porch light on at sunset. Approve?', ctx, { awaiting: 'approval' })];
    await postWebhook(w.url, messagePayload(OWNER, textMessage('turn the porch light on at sunset')));
    await eventually(() => w.fake.sent.length === 1, 'the proposal');
    expect(w.fake.sent[0]).toEqual({
      to: OWNER,
      type: 'interactive',
      text: 'I can turn the porch light on at sunset. Approve?',
      buttons: [
        { id: 'plan:approve:7f3a9c2e', title: 'Approve' },
        { id: 'plan:reject:7f3a9c2e', title: 'Reject' },
      ],
    });
    await postWebhook(w.url, messagePayload(OWNER, buttonReply('plan:approve:7f3a9c2e', 'Approve')));
    await eventually(() => w.fake.sent.length === 2, 'the approval answer');
    expect(w.runner.turns.map((t) => t.text)).toEqual(['turn the porch light on at sunset', '/plans approve 7f3a9c2e']);
    expect(w.fake.sent[1]).toEqual({ to: OWNER, type: 'text', text: 'Approved: the rule "Porch light at sunset" is on.' });
  });

  it('a sensitive action waiting for confirmation gets Yes / No, and Yes is the "yes" turn', async () => {
    const w = await world();
    w.runner.script = (text, ctx) => (text === 'yes' ? [done('Unlocked the front door.', ctx)] : [done('Unlock the front door?', ctx, { awaiting: 'confirmation' })]);
    await postWebhook(w.url, messagePayload(OWNER, textMessage('unlock the front door')));
    await eventually(() => w.fake.sent.length === 1, 'the question');
    expect(w.fake.sent[0]?.buttons).toEqual([
      { id: 'confirm:yes', title: 'Yes' },
      { id: 'confirm:no', title: 'No' },
    ]);
    await postWebhook(w.url, messagePayload(OWNER, buttonReply('confirm:yes', 'Yes')));
    await eventually(() => w.fake.sent.length === 2, 'the answer');
    expect(w.runner.turns.map((t) => t.text)).toEqual(['unlock the front door', 'yes']);
  });

  it('a number not on the list gets one polite refusal however often it writes, and nothing runs', async () => {
    const w = await world();
    await postWebhook(w.url, messagePayload(STRANGER, textMessage('open the garage')));
    await postWebhook(w.url, messagePayload(STRANGER, textMessage('open the garage!!')));
    await postWebhook(w.url, messagePayload(OWNER, textMessage('hello')));
    await eventually(() => w.fake.sent.some((s) => s.to === OWNER), 'the owner answered after the stranger');
    expect(w.fake.sent.filter((s) => s.to === STRANGER)).toEqual([{ to: STRANGER, type: 'text', text: expect.stringContaining('only talks to the numbers its owner has allowed') as string }]);
    expect(w.runner.turns.map((t) => t.ctx.user.id)).toEqual([`whatsapp:${OWNER}`]);
  });

  it('the same message delivered twice (Meta retries) runs once', async () => {
    const w = await world();
    const payload = messagePayload(OWNER, textMessage('turn on the kitchen light'), { id: 'wamid.DUP' });
    expect((await postWebhook(w.url, payload)).status).toBe(200);
    expect((await postWebhook(w.url, payload)).status).toBe(200);
    await postWebhook(w.url, messagePayload(OWNER, textMessage('thanks')));
    await eventually(() => w.fake.sent.length === 2, 'both answers');
    expect(w.runner.turns.map((t) => t.text)).toEqual(['turn on the kitchen light', 'thanks']);
  });

  it('a long answer arrives in parts of at most 4096 characters, in order', async () => {
    const w = await world();
    const paragraph = (n: number) => `${n}: ${'lorem ipsum dolor '.repeat(60)}`.trim();
    const long = Array.from({ length: 10 }, (_, i) => paragraph(i)).join('\n\n');
    expect(long.length).toBeGreaterThan(8192);
    w.runner.script = (_text, ctx) => [done(long, ctx)];
    await postWebhook(w.url, messagePayload(OWNER, textMessage('tell me everything')));
    await eventually(() => w.fake.sent.map((s) => s.text).join('').includes('9: lorem'), 'every part');
    // ~1,080-character paragraphs: three fit in a part, so ten make four parts, each cut between paragraphs.
    expect(w.fake.sent.length).toBe(4);
    expect(w.fake.sent.every((s) => (s.text ?? '').length <= 4096 && s.to === OWNER)).toBe(true);
    expect(w.fake.sent.map((s) => s.text).join('\n\n')).toBe(long);
  });

  it('a photo reaches the model with its caption, fetched through the media id with the token', async () => {
    const w = await world();
    await postWebhook(w.url, messagePayload(OWNER, imageMessage('1234567890')));
    await eventually(() => w.runner.turns.length === 1, 'a turn for the photo');
    expect(w.runner.turns[0]?.text).toBe('look');
    expect(w.runner.turns[0]?.ctx.images).toEqual([{ type: 'image', mediaType: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff]).toString('base64') }]);
    expect(w.fake.requests.filter((r) => r.includes('1234567890') || r.includes('/media/'))).toEqual(['GET /v23.0/1234567890', 'GET /media/1234567890']);
  });

  it('other media (a voice note) is answered clearly and nothing runs', async () => {
    const w = await world();
    await postWebhook(w.url, messagePayload(OWNER, { type: 'audio', audio: { id: '777', mime_type: 'audio/ogg' } }));
    await eventually(() => w.fake.sent.length === 1, 'the answer');
    expect(w.fake.sent[0]?.text).toContain('I can read text messages and photos');
    expect(w.runner.turns).toEqual([]);
  });
});

describe('WhatsApp health and notifications', () => {
  it('a good token: connected, with the business name and number as the account', async () => {
    const w = await world();
    expect(w.channel.health()).toEqual({ state: 'connected', account: 'Wactorz Home +1 555-010-0000' });
    const health = (await (await fetch(w.url.replace(WHATSAPP_WEBHOOK_PATH, '/api/health'))).json()) as { channels?: unknown };
    expect(health.channels).toEqual({ whatsapp: { state: 'connected', account: 'Wactorz Home +1 555-010-0000' } });
  });

  it('a refused token: failed with Meta\'s reason, never the token in health or logs, and messages no longer run', async () => {
    const w = await world({ token: 'EAAG-revoked-token-xyz' });
    const health = w.channel.health();
    expect(health.state).toBe('failed');
    expect(health.error).toContain('code 190');
    expect(health.error).toContain('Invalid OAuth access token');
    expect(health.error).toContain('whatsapp_access_token');
    await postWebhook(w.url, messagePayload(OWNER, textMessage('hello')));
    await eventually(() => w.logs.some((l) => l.includes('dropped')), 'the dropped message logged');
    expect(w.runner.turns).toEqual([]);
    expect(w.logs.join('')).not.toContain('EAAG-revoked-token-xyz');
    expect(w.logs.join('')).not.toContain(FAKE_APP_SECRET);
  });

  it('an unreachable Graph API: reconnecting, with the reason', async () => {
    const w = await world({ apiRoot: 'http://127.0.0.1:9/v23.0' });
    expect(w.channel.health()).toMatchObject({ state: 'reconnecting', error: expect.stringContaining('WhatsApp is not reachable') as string });
  });

  it('agent.notify to whatsapp:+<number> through the registry reaches that number; others are refused', async () => {
    const w = await world();
    const registry = new ChannelRegistry();
    registry.add(w.channel);
    await registry.send(`whatsapp:+${OWNER}`, 'The front door opened');
    expect(w.fake.sent).toEqual([{ to: OWNER, type: 'text', text: 'The front door opened' }]);
    await expect(registry.send(`whatsapp:+${STRANGER}`, 'hi')).rejects.toThrow(`+${STRANGER} is not an allowed WhatsApp number`);
  });

  it('outside the 24-hour window the notification fails with WhatsApp\'s reason, said plainly', async () => {
    const w = await world();
    w.fake.windowClosed.add(OWNER);
    const registry = new ChannelRegistry();
    registry.add(w.channel);
    await expect(registry.send(`whatsapp:${OWNER}`, 'The front door opened')).rejects.toThrow(/131047.*Re-engagement message.*24 hours.*template/);
    expect(w.channel.health().state).toBe('connected');
  });
});
