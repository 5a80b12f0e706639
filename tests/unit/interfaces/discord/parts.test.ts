// The small pure parts of the Discord channel: button ids, command texts, thread names, the
// mention stripped from a message, a decision line within the limit, and what a login failure
// tells the owner.
import { describe, expect, it } from 'vitest';
import { buttonsFor, customId, parseCustomId, turnText } from '../../../../server/src/interfaces/discord/buttons.ts';
import { describeCloseCode, describeLoginError } from '../../../../server/src/interfaces/discord/client.ts';
import { commandText } from '../../../../server/src/interfaces/discord/commands.ts';
import { withLine } from '../../../../server/src/interfaces/discord/interactions.ts';
import { threadName, withoutMention } from '../../../../server/src/interfaces/discord/messages.ts';

const done = { type: 'done', turnId: 't', conversationId: 'c', reply: 'r', agent: 'main', route: 'other' } as const;

describe('Discord buttons', () => {
  it('custom ids round-trip and stand for the typed answer', () => {
    for (const a of [
      { kind: 'plan', decision: 'approve', planId: '3fa9c2d1' },
      { kind: 'plan', decision: 'reject', planId: '3fa9c2d1' },
      { kind: 'confirm', answer: 'yes', askerId: '123456789012345678' },
    ] as const) {
      expect(parseCustomId(customId(a))).toEqual(a);
      expect(customId(a).length).toBeLessThanOrEqual(100);
    }
    expect(turnText({ kind: 'plan', decision: 'approve', planId: 'ab12' })).toBe('/plans approve ab12');
    expect(turnText({ kind: 'confirm', answer: 'no', askerId: '1' })).toBe('no');
  });

  it('foreign or malformed ids are not ours', () => {
    for (const id of ['', 'other:plan:approve:1', 'wactorz:plan:yes:1', 'wactorz:confirm:yes:abc', 'wactorz:plan:approve:a b', 'wactorz:plan:approve:1:extra']) expect(parseCustomId(id)).toBeUndefined();
  });

  it('buttons: Approve/Reject for a pending proposal, Yes/No for a confirmation, none otherwise', () => {
    const plan = { id: 'p1', status: 'pending' } as Parameters<typeof buttonsFor>[1];
    const ids = (rows: ReturnType<typeof buttonsFor>): unknown[] => rows.flatMap((r) => r.toJSON().components.map((c) => ('custom_id' in c ? c.custom_id : undefined)));
    expect(ids(buttonsFor(done, plan, '9'))).toEqual(['wactorz:plan:approve:p1', 'wactorz:plan:reject:p1']);
    expect(ids(buttonsFor({ ...done, awaiting: 'confirmation' }, undefined, '9'))).toEqual(['wactorz:confirm:yes:9', 'wactorz:confirm:no:9']);
    expect(buttonsFor({ ...done, awaiting: 'choice' }, undefined, '9')).toEqual([]);
    expect(buttonsFor(done, { ...plan!, status: 'approved' }, '9')).toEqual([]);
  });
});

describe('Discord messages and commands', () => {
  it('thread names are the first line, within the limit', () => {
    expect(threadName('Turn on the lights\nin the kitchen')).toBe('Turn on the lights');
    expect(threadName('x'.repeat(200))).toHaveLength(90);
    expect(threadName('   ')).toBe('Wactorz');
  });

  it("the bot's mention is removed, the rest kept", () => {
    expect(withoutMention('<@42> turn on the porch light', '42')).toBe('turn on the porch light');
    expect(withoutMention('hey <@!42>, lights\n\n  <@7> too', '42')).toBe('hey , lights\n\n  <@7> too');
  });

  it('commands stand for chat text', () => {
    expect(commandText('help', null)).toBe('/help');
    expect(commandText('wactorz', '  is the door locked? ')).toBe('is the door locked?');
    expect(commandText('wactorz', '  ')).toBeUndefined();
    expect(commandText('other', 'x')).toBeUndefined();
  });

  it('the decision line fits under a question at the limit', () => {
    expect(withLine('Approve?', '✅ Approved by Alice')).toBe('Approve?\n\n✅ Approved by Alice');
    const long = withLine('q'.repeat(2000), '✅ Approved by Alice');
    expect(long.length).toBeLessThanOrEqual(2000);
    expect(long.endsWith('…\n\n✅ Approved by Alice')).toBe(true);
  });
});

describe('Discord failures', () => {
  it('a refused token or intent is fatal; a network error is retried', () => {
    expect(describeLoginError(Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' }))).toMatchObject({ fatal: true, message: expect.stringMatching(/refused the bot token.*\(401\)$/) as unknown });
    expect(describeLoginError(new Error('Authentication failed'))).toMatchObject({ fatal: true });
    expect(describeLoginError(new Error('Used disallowed intents'))).toEqual(describeCloseCode(4014));
    expect(describeLoginError(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toEqual({ fatal: false, message: 'Discord could not be reached: connect ECONNREFUSED 127.0.0.1:1' });
    expect(describeCloseCode(4004).message).toMatch(/\(close code 4004\)$/);
  });
});
