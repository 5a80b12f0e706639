import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../server/src/core/clock.ts';
import type { LiveEvent } from '../../../server/src/contract/live-events.ts';
import type { Plan } from '../../../server/src/contract/plans.ts';
import type { Rule } from '../../../server/src/contract/rules.ts';
import { watchRulesAndPlans } from '../../../server/src/services/rule-plan-watch.ts';

const rule = (id: string, over: Partial<Rule> = {}): Rule =>
  ({ id, text: `rule ${id}`, enabled: true, status: 'active', created_at: '2026-01-01T00:00:00.000Z', last_fired_at: null, agents: [], backtest: null, ...over }) as unknown as Rule;
const plan = (id: string, over: Partial<Plan> = {}): Plan => ({
  id,
  conversation_id: null,
  title: id,
  summary: '',
  status: 'pending',
  created_at: '2026-01-01T00:00:00.000Z',
  agents: [],
  validation: { ok: true, errors: [], warnings: [] },
  rule_id: null,
  reason: null,
  ...over,
});

describe('rules and plans watcher', () => {
  it('publishes what changed between polls: new or changed rules, removed rules, plan transitions', async () => {
    const clock = new ManualClock();
    let rules = [rule('r1')];
    let plans = [plan('p1')];
    const events: LiveEvent[] = [];
    const w = watchRulesAndPlans({
      rules: { list: async () => rules, setEnabled: async () => undefined, delete: async () => false },
      plans: { list: async () => plans, approve: async () => undefined, reject: async () => undefined },
      clock,
      publish: (e) => events.push(e),
    });
    await w.poll();
    expect(events).toEqual([]); // the first poll is the baseline

    rules = [rule('r1', { last_fired_at: '2026-01-01T10:00:00.000Z' }), rule('r2')];
    plans = [plan('p1', { status: 'approved', rule_id: 'r2' })];
    await clock.advance(3_000);
    expect(events).toEqual([
      { type: 'rule.status', rule_id: 'r1', status: 'active', enabled: true, last_fired_at: '2026-01-01T10:00:00.000Z' },
      { type: 'rule.status', rule_id: 'r2', status: 'active', enabled: true, last_fired_at: null },
      { type: 'plan.update', plan: expect.objectContaining({ id: 'p1', status: 'approved', rule_id: 'r2' }) as unknown },
    ]);

    events.length = 0;
    rules = [rule('r2')];
    await clock.advance(3_000);
    expect(events).toEqual([{ type: 'rule.removed', rule_id: 'r1' }]);

    w.stop();
    rules = [];
    await clock.advance(10_000);
    expect(events).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });
});
