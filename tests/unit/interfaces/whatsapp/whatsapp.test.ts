// The WhatsApp channel's pure parts: the signature check, the webhook payload as Meta shapes it,
// a turn's answer as WhatsApp messages (buttons within the Cloud API's limits), button replies as
// turns, and the token check's retry after Meta was unreachable.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { answerMessages, buttonTurnText, BUTTON_BODY_LIMIT, BUTTON_TITLE_LIMIT } from '../../../../server/src/interfaces/whatsapp/answer.ts';
import { WhatsAppChannel } from '../../../../server/src/interfaces/whatsapp/channel.ts';
import { parseWebhook } from '../../../../server/src/interfaces/whatsapp/payload.ts';
import { signatureValid, verifyTokenMatches } from '../../../../server/src/interfaces/whatsapp/signature.ts';
import { eventually } from '../../../helpers/eventually.ts';
import { quietLogger } from '../../../helpers/ha.ts';
import { buttonReply, FAKE_PHONE_NUMBER_ID, imageMessage, messagePayload, statusPayload, textMessage } from '../../../helpers/fake-whatsapp.ts';

describe('webhook signature', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account"}');
  const good = `sha256=${createHmac('sha256', 'secret').update(body).digest('hex')}`;

  it('accepts the HMAC of the exact bytes with the app secret, and nothing else', () => {
    expect(signatureValid(body, good, 'secret')).toBe(true);
    expect(signatureValid(body, good.toUpperCase().replace('SHA256=', 'sha256='), 'secret')).toBe(true);
    expect(signatureValid(body, good, 'other')).toBe(false);
    expect(signatureValid(Buffer.concat([body, Buffer.from(' ')]), good, 'secret')).toBe(false);
    expect(signatureValid(body, good.slice(0, -2), 'secret')).toBe(false);
    expect(signatureValid(body, good.replace('sha256=', 'sha1='), 'secret')).toBe(false);
    expect(signatureValid(body, undefined, 'secret')).toBe(false);
  });

  it('matches the verify token exactly', () => {
    expect(verifyTokenMatches('verify-me', 'verify-me')).toBe(true);
    expect(verifyTokenMatches('verify-m', 'verify-me')).toBe(false);
    expect(verifyTokenMatches(['verify-me'], 'verify-me')).toBe(false);
    expect(verifyTokenMatches(undefined, 'verify-me')).toBe(false);
  });
});

describe('webhook payload', () => {
  it('reads texts, button replies and media with the sender and their profile name', () => {
    expect(parseWebhook(messagePayload('31612345678', textMessage('hi'), { id: 'w1', name: 'Alex' }), FAKE_PHONE_NUMBER_ID)).toEqual([
      { id: 'w1', from: '31612345678', name: 'Alex', kind: 'text', text: 'hi' },
    ]);
    expect(parseWebhook(messagePayload('31612345678', buttonReply('confirm:yes', 'Yes'), { id: 'w2' }), FAKE_PHONE_NUMBER_ID)).toEqual([
      { id: 'w2', from: '31612345678', name: 'Alex', kind: 'button', buttonId: 'confirm:yes', title: 'Yes' },
    ]);
    expect(parseWebhook(messagePayload('31612345678', imageMessage('55'), { id: 'w3' }), FAKE_PHONE_NUMBER_ID)).toMatchObject([{ kind: 'image', mediaId: '55', caption: 'look' }]);
    expect(parseWebhook(messagePayload('31612345678', { type: 'location', location: { latitude: 1, longitude: 2 } }), FAKE_PHONE_NUMBER_ID)).toMatchObject([{ kind: 'other', type: 'location' }]);
  });

  it('ignores statuses, reactions and messages to another number of the same app; refuses what is not a webhook', () => {
    expect(parseWebhook(statusPayload('31612345678'), FAKE_PHONE_NUMBER_ID)).toEqual([]);
    expect(parseWebhook(messagePayload('31612345678', { type: 'reaction', reaction: { message_id: 'x', emoji: '👍' } }), FAKE_PHONE_NUMBER_ID)).toEqual([]);
    expect(parseWebhook(messagePayload('31612345678', textMessage('hi'), { phoneNumberId: '999' }), FAKE_PHONE_NUMBER_ID)).toEqual([]);
    expect(parseWebhook({ entry: 'nope' }, FAKE_PHONE_NUMBER_ID)).toBeUndefined();
    expect(parseWebhook(null, FAKE_PHONE_NUMBER_ID)).toBeUndefined();
  });
});

describe('answers', () => {
  it('a plain answer is text; an error says it did not work', () => {
    expect(answerMessages({ reply: 'Done.' })).toEqual([{ kind: 'text', body: 'Done.' }]);
    expect(answerMessages({ reply: '', error: 'The LLM budget is spent' })).toEqual([{ kind: 'text', body: 'Sorry, that did not work: The LLM budget is spent' }]);
  });

  it('a proposal too long for a button message: the text first, then a short question with the buttons', () => {
    const reply = 'x '.repeat(BUTTON_BODY_LIMIT);
    const out = answerMessages({ reply, plan: { id: 'abc123', title: 'Porch light' }, awaiting: 'approval' });
    expect(out.map((o) => o.kind)).toEqual(['text', 'buttons']);
    expect(out[1]).toEqual({
      kind: 'buttons',
      body: 'Approve "Porch light"?',
      buttons: [
        { id: 'plan:approve:abc123', title: 'Approve' },
        { id: 'plan:reject:abc123', title: 'Reject' },
      ],
    });
    for (const o of out) if (o.kind === 'buttons') expect(o.buttons.every((b) => b.title.length <= BUTTON_TITLE_LIMIT)).toBe(true);
  });

  it('a choice between candidates has no buttons (the answer lists them)', () => {
    expect(answerMessages({ reply: 'Which light: kitchen or hallway?', awaiting: 'choice' })).toEqual([{ kind: 'text', body: 'Which light: kitchen or hallway?' }]);
  });

  it('a button reply is the turn a person would have typed', () => {
    expect(buttonTurnText('plan:approve:7f3a9c2e', 'Approve')).toBe('/plans approve 7f3a9c2e');
    expect(buttonTurnText('plan:reject:7f3a9c2e', 'Reject')).toBe('/plans reject 7f3a9c2e');
    expect(buttonTurnText('confirm:no', 'No')).toBe('no');
    // An id that is not ours, or a plan id that is not one: the label, as if typed.
    expect(buttonTurnText('plan:approve:x y; /budget', 'Approve')).toBe('Approve');
    expect(buttonTurnText('', 'Stop')).toBe('Stop');
  });
});

describe('token check', () => {
  it('retries with backoff while Meta is unreachable, then reports connected', async () => {
    const clock = new ManualClock();
    let up = false;
    const fetchImpl = (async () => {
      if (!up) throw new TypeError('fetch failed');
      return new Response(JSON.stringify({ display_phone_number: '+1 555-010-0000', verified_name: 'Home' }), { status: 200 });
    }) as typeof fetch;
    const channel = new WhatsAppChannel({
      settings: { accessToken: 't', phoneNumberId: '123456', allowedNumbers: ['31612345678'], apiRoot: 'http://graph.invalid/v23.0' },
      runner: { process: () => (async function* () {})() },
      logger: quietLogger(),
      fetchImpl,
      clock,
    });
    await channel.start();
    expect(channel.health()).toEqual({ state: 'reconnecting', error: 'WhatsApp is not reachable (fetch failed); retrying in 1 s' });
    await clock.advance(1_000);
    await eventually(() => channel.health().error?.includes('retrying in 5 s') === true, 'the second attempt');
    up = true;
    await clock.advance(5_000);
    await eventually(() => channel.health().state === 'connected', 'connected');
    expect(channel.health()).toEqual({ state: 'connected', account: 'Home +1 555-010-0000' });
    await channel.stop();
  });
});
