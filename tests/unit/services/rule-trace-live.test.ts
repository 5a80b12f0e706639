// The rule.trace live event (issue 16): every evaluation of a rule reaches the panel, at most one
// event per rule per second, the last outcome of a burst sent when its second ends so the newest
// state is never lost, and never the evaluation's message. Driven by a ManualClock and the real
// recorder over SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../../server/src/agents/ha/trace.ts';
import { RuleTraceRecorder } from '../../../server/src/agents/planner/traces/recorder.ts';
import { TraceStore } from '../../../server/src/agents/planner/traces/trace-store.ts';
import type { LiveEvent } from '../../../server/src/contract/live-events.ts';
import { LiveEvent as LiveEventSchema, topicOf } from '../../../server/src/contract/live-events.ts';
import { ManualClock } from '../../../server/src/core/clock.ts';
import { RuleTraceThrottle, startRuleTraceLive } from '../../../server/src/services/rule-trace-live.ts';
import { openDatabase, type Db } from '../../../server/src/store/database.ts';

const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

function throttle() {
  const clock = new ManualClock();
  const events: LiveEvent[] = [];
  const t = new RuleTraceThrottle({ clock, publish: (e) => events.push(e) });
  const sent = () => events.map((e) => (e.type === 'rule.trace' ? `${e.rule_id}:${e.outcome}@${Date.parse(e.at) - Date.UTC(2026, 0, 1, 12)}` : e.type));
  return { clock, t, sent };
}

describe('rule.trace throttle', () => {
  it('sends a lone evaluation at once, and a burst as one event now and its last outcome a second later', async () => {
    const { clock, t, sent } = throttle();
    t.note('porch', 'filtered', clock.now());
    expect(sent()).toEqual(['porch:filtered@0']);

    // 20 evaluations within the second: nothing more until the window closes, then only the last.
    for (let i = 1; i <= 20; i++) {
      await clock.advance(40);
      t.note('porch', i === 20 ? 'acted' : 'filtered', clock.now());
    }
    expect(sent()).toEqual(['porch:filtered@0']);
    await clock.advance(199);
    expect(sent()).toEqual(['porch:filtered@0']);
    await clock.advance(1);
    expect(sent()).toEqual(['porch:filtered@0', 'porch:acted@800']);

    // The trailing event opened a window of its own: a new evaluation right after waits for it.
    t.note('porch', 'cooldown', clock.now());
    expect(sent()).toHaveLength(2);
    await clock.advance(1_000);
    expect(sent()).toEqual(['porch:filtered@0', 'porch:acted@800', 'porch:cooldown@1000']);
    // A quiet second closes the window for good: nothing is left scheduled.
    await clock.advance(1_000);
    expect(clock.pending()).toBe(0);
    t.note('porch', 'condition_false', clock.now());
    expect(sent().at(-1)).toBe('porch:condition_false@3000');
  });

  it('throttles each rule on its own, and stop() releases every timer', async () => {
    const { clock, t, sent } = throttle();
    t.note('porch', 'filtered', clock.now());
    t.note('garage', 'acted', clock.now());
    t.note('porch', 'unreachable', clock.now());
    expect(sent()).toEqual(['porch:filtered@0', 'garage:acted@0']);
    t.stop();
    expect(clock.pending()).toBe(0);
    await clock.advance(5_000);
    expect(sent()).toHaveLength(2);
  });
});

describe('the recorder feeding rule.trace', () => {
  it('publishes a valid rules-topic event per rule evaluation, without the message, and nothing for agents of no rule', async () => {
    const clock = new ManualClock();
    const db = openDatabase({ dataDir: ':memory:' });
    dbs.push(db);
    const traces = new RuleTraceRecorder({ store: new TraceStore(db), clock });
    traces.attachRules((agent) => (agent === 'porch-light' ? 'porch' : undefined));
    const events: LiveEvent[] = [];
    const stop = startRuleTraceLive({ traces, clock, publish: (e) => events.push(e) });
    const evaluation = (agent: string, outcome: TraceRecord['outcome']): TraceRecord => ({
      agent, kind: 'trigger', at: clock.now(), durationMs: 1, topic: 'wactorz/ha/state_changes/lock/lock.front_door', message: 'lock.front_door: "locked" -> "unlocked"', outcome, steps: [],
    });

    traces.record(evaluation('porch-light', 'filtered'));
    traces.record(evaluation('stranger', 'acted'));
    expect(events).toEqual([{ type: 'rule.trace', rule_id: 'porch', outcome: 'filtered', at: new Date(clock.now()).toISOString() }]);
    expect(LiveEventSchema.parse(events[0])).toEqual(events[0]);
    expect(topicOf(events[0])).toBe('rules');
    expect(JSON.stringify(events)).not.toContain('unlocked');
    // The panel refetches on the event: the evaluation is already readable through the API path.
    expect(traces.list('porch').map((t) => t.outcome)).toEqual(['filtered']);

    // An observer that throws never breaks the rule's evaluation.
    const offBad = traces.onRecord(() => {
      throw new Error('observer down');
    });
    expect(() => traces.record(evaluation('porch-light', 'acted'))).not.toThrow();
    offBad();
    await clock.advance(1_000);
    expect(events.map((e) => e.type === 'rule.trace' && e.outcome)).toEqual(['filtered', 'acted']);

    stop();
    traces.record(evaluation('porch-light', 'cooldown'));
    await clock.advance(2_000);
    expect(events).toHaveLength(2);
    expect(clock.pending()).toBe(0);
  });
});
