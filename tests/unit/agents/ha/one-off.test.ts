import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { parseCalls } from '../../../../server/src/agents/ha/one-off/resolve.ts';
import { PendingConfirmations, readAnswer } from '../../../../server/src/agents/ha/pending.ts';

describe('reading the resolved service calls', () => {
  it('accepts the documented form, a bare array and fenced JSON, normalising what models write', () => {
    expect(parseCalls('{"calls": [{"domain": "light", "service": "turn_on", "entity_id": "light.kitchen", "service_data": {"brightness_pct": 50}}]}')).toEqual({
      ok: true,
      calls: [{ domain: 'light', service: 'turn_on', target: { entity_id: ['light.kitchen'] }, service_data: { brightness_pct: 50 } }],
    });
    expect(parseCalls('Sure:\n```json\n[{"service": "switch.turn_off", "entity_id": ["switch.tv"]}]\n```')).toEqual({
      ok: true,
      calls: [{ domain: 'switch', service: 'turn_off', target: { entity_id: ['switch.tv'] }, service_data: {} }],
    });
  });

  it('passes on the model\'s reason when it cannot, and refuses malformed calls', () => {
    expect(parseCalls('{"calls": [], "error": "There is no fan in the bedroom."}')).toEqual({ ok: false, error: 'There is no fan in the bedroom.' });
    const malformed = parseCalls('{"calls": [{"domain": "light"}]}');
    expect(malformed.ok ? '' : malformed.error).toContain('call 1');
    expect(parseCalls('I would turn on the light')).toMatchObject({ ok: false });
  });
});

describe('pending confirmations', () => {
  it('keep one question per conversation until answered or expired', async () => {
    const clock = new ManualClock();
    const pending = new PendingConfirmations(clock, 60_000);
    pending.put('c1', { kind: 'actuate', question: 'Unlock?', calls: [], request: 'unlock the door' });
    expect(pending.peek('c1')?.question).toBe('Unlock?');
    expect(pending.peek('c2')).toBeUndefined();
    expect(pending.take('c1')?.kind).toBe('actuate');
    expect(pending.take('c1')).toBeUndefined();
    pending.put('c1', { kind: 'actuate', question: 'Unlock?', calls: [], request: 'unlock the door' });
    await clock.advance(60_000);
    expect(pending.peek('c1')).toBeUndefined();
    expect(pending.size).toBe(0);
  });

  it('tell a plain yes or no from a new request', () => {
    for (const yes of ['yes', 'Yes!', 'yep', 'ok', 'sure, do it', 'Go ahead.', 'confirm']) expect(readAnswer(yes)).toBe('yes');
    for (const no of ['no', 'No.', 'nope', 'cancel', "don't", 'never mind']) expect(readAnswer(no)).toBe('no');
    for (const other of ['turn on the kitchen light', 'yesterday the door was open', 'what?']) expect(readAnswer(other)).toBeUndefined();
  });
});
