// The proposal state machine: pending -> approved | rejected | superseded | expired, nothing
// else; an invalid plan cannot be approved; an expired one cannot be approved or corrected.
import { expect, test } from 'vitest';
import { PROPOSAL_TTL_MS, transition, type Proposal, type ProposalEvent } from '../../../../server/src/agents/planner/proposals/proposal.ts';
import { classifyReply } from '../../../../server/src/agents/planner/proposals/replies.ts';

const T0 = Date.UTC(2026, 0, 1, 12);

function proposal(extra: Partial<Proposal> = {}): Proposal {
  return {
    id: 'p1',
    request: 'turn on the hallway light when motion is detected',
    status: 'pending',
    plan: { pattern: 'ha_sensor_action', title: 'Hallway light', summary: '', agents: [] },
    validation: { ok: true, errors: [], warnings: [], sensitive: [] },
    createdAt: T0,
    updatedAt: T0,
    expiresAt: T0 + PROPOSAL_TTL_MS,
    ...extra,
  };
}

test('each move out of pending', () => {
  const approve = transition(proposal(), { type: 'approve', ruleId: 'r1' }, T0 + 1);
  expect(approve).toMatchObject({ ok: true, proposal: { status: 'approved', ruleId: 'r1', updatedAt: T0 + 1 } });
  expect(transition(proposal(), { type: 'reject' }, T0)).toMatchObject({ ok: true, proposal: { status: 'rejected', reason: 'rejected by the user' } });
  expect(transition(proposal(), { type: 'supersede', by: 'p2' }, T0)).toMatchObject({ ok: true, proposal: { status: 'superseded', supersededBy: 'p2', reason: 'superseded by plan p2' } });
  expect(transition(proposal(), { type: 'expire' }, T0 + PROPOSAL_TTL_MS)).toMatchObject({ ok: true, proposal: { status: 'expired' } });
});

test('decided proposals are final: no move leaves approved, rejected, superseded or expired', () => {
  const events: ProposalEvent[] = [{ type: 'approve', ruleId: 'r' }, { type: 'reject' }, { type: 'supersede', by: 'x' }, { type: 'expire' }];
  for (const status of ['approved', 'rejected', 'superseded', 'expired'] as const) {
    for (const e of events) {
      const t = transition(proposal({ status }), e, T0);
      expect(t.ok).toBe(false);
      if (!t.ok) expect(t.error).toContain(`plan p1 is ${status}`);
    }
  }
});

test('an invalid plan cannot be approved, but can still be rejected or corrected', () => {
  const invalid = proposal({ validation: { ok: false, errors: [{ kind: 'unknown_entity', message: 'light.x does not exist' }], warnings: [], sensitive: [] } });
  const t = transition(invalid, { type: 'approve', ruleId: 'r' }, T0);
  expect(t).toEqual({ ok: false, error: 'plan p1 did not pass validation, so it cannot be approved: light.x does not exist' });
  expect(transition(invalid, { type: 'reject' }, T0).ok).toBe(true);
  expect(transition(invalid, { type: 'supersede', by: 'p2' }, T0).ok).toBe(true);
});

test('past its 24 h a pending plan can only expire', () => {
  const late = T0 + PROPOSAL_TTL_MS + 3_600_000;
  expect(transition(proposal(), { type: 'approve', ruleId: 'r' }, late)).toEqual({ ok: false, error: 'plan p1 expired 1 h ago; ask again for a fresh plan' });
  expect(transition(proposal(), { type: 'supersede', by: 'p2' }, late).ok).toBe(false);
  expect(transition(proposal(), { type: 'expire' }, late).ok).toBe(true);
});

test('replies: approvals, rejections, corrections, spawn-like requests and the rest', () => {
  for (const t of ['yes', 'Yes!', 'approve', 'ok', 'go ahead', 'yes please', '👍']) expect(classifyReply(t), t).toEqual({ kind: 'approve' });
  for (const t of ['no', 'No.', 'reject', 'cancel', 'nope', 'never mind']) expect(classifyReply(t), t).toEqual({ kind: 'reject' });
  for (const t of ['make it 30 minutes later', 'use 55 as the threshold', 'no, make it the kitchen light', 'only on weekdays', 'turn on the floor lamp instead', 'change it to 22:30']) {
    expect(classifyReply(t), t).toEqual({ kind: 'correct', correction: t });
  }
  for (const t of ['notify me when the garage opens', 'spawn an agent that tracks energy', 'every day at 7 turn on the coffee maker']) expect(classifyReply(t).kind, t).toBe('spawn_like');
  for (const t of ['what is the temperature in the living room?', 'thanks']) expect(classifyReply(t).kind, t).toBe('other');
});

test('@planner without a prefix: reactive sentences are pipelines, questions and chores are tasks', async () => {
  const { looksReactive } = await import('../../../../server/src/agents/planner/mode.ts');
  for (const t of ['whenever the door opens, notify me', 'turn off all lights every day at midnight', 'if the temperature goes above 28, turn on the fan', 'at 7:30 turn on the coffee maker', 'remind me daily to water the plants']) expect(looksReactive(t), t).toBe(true);
  for (const t of ['get the weather in Athens and the AI news, then combine them', 'what is the living room temperature?', 'summarise the Philips manual']) expect(looksReactive(t), t).toBe(false);
});
