import { describe, expect, it } from 'vitest';
import { decisionLine, parseButton, planCard, turnTextOf } from '../../../../server/src/interfaces/telegram/buttons.ts';
import type { Plan } from '../../../../server/src/contract/plans.ts';

function plan(id: string, status: Plan['status'] = 'pending'): Plan {
  return {
    id,
    conversation_id: null,
    title: 'Porch light at sunset',
    summary: 'Turns light.porch on at sunset.',
    status,
    created_at: '2026-01-01T12:00:00.000Z',
    agents: [{ name: 'porch-sunset', type: 'ha_actuator', description: 'turns the porch light on', trigger: 'sun.sun below horizon' }],
    validation: { ok: true, errors: [], warnings: [] },
    rule_id: null,
    reason: null,
  };
}

describe('Telegram buttons', () => {
  it('callback data parses strictly into the turn a person could have typed', () => {
    expect(parseButton('plan:approve:a1b2c3d4')).toEqual({ kind: 'plan', decision: 'approve', planId: 'a1b2c3d4' });
    expect(turnTextOf(parseButton('plan:reject:a1b2c3d4')!)).toBe('/plans reject a1b2c3d4');
    expect(turnTextOf(parseButton('confirm:yes')!)).toBe('yes');
    expect(turnTextOf(parseButton('confirm:no')!)).toBe('no');
    for (const bad of ['plan:approve:', 'plan:approve:a b', 'plan:approve:x;/budget 0', 'plan:delete:a1', 'confirm:maybe', 'confirm:yes ', '']) expect(parseButton(bad)).toBeUndefined();
  });

  it('the line that replaces the buttons says what was chosen and by whom', () => {
    expect(decisionLine({ kind: 'plan', decision: 'approve', planId: 'x' }, 'Alex')).toBe('✅ Approve, chosen by Alex');
    expect(decisionLine({ kind: 'confirm', answer: 'no' }, 'Sam')).toBe('❌ No, answered by Sam');
  });

  it('a plan card names the plan, its agents and how to decide; a huge one is cut, never over the limit', () => {
    const card = planCard(plan('a1b2c3d4'));
    expect(card).toContain('📋 Proposal a1b2c3d4: Porch light at sunset');
    expect(card).toContain('• porch-sunset (ha_actuator): turns the porch light on [sun.sun below horizon]');
    expect(card.endsWith('Approve or reject below, or type /plans approve a1b2c3d4.')).toBe(true);
    const huge = planCard({ ...plan('a1'), summary: 'word '.repeat(2000) });
    expect(huge.length).toBeLessThanOrEqual(3900);
    expect(huge.endsWith('/plans approve a1.')).toBe(true);
    expect(planCard(plan('b2', 'approved'))).toContain('Status: approved.');
  });
});
