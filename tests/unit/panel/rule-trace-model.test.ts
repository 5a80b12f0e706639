// How the Rules view words a rule's evaluations: the reason a person reads beside the newest one
// (the clause, condition or action that decided it), the counts per outcome, the step timings.
import { describe, expect, it } from 'vitest';
import { duration, outcomeCounts, outcomeLook, stepKindLabel, stepTime, traceReason, traceTime } from '../../../panel/src/components/views/rule-trace-model.ts';
import type { RuleTrace, RuleTraceOutcome, RuleTraceStep } from '../../../server/src/contract/rules.ts';

function trace(outcome: RuleTraceOutcome, steps: RuleTraceStep[], extra: Partial<RuleTrace> = {}): RuleTrace {
  return { id: 1, rule_id: 'r', agent: 'porch-light', kind: 'trigger', at: '2026-05-13T10:42:10.000Z', duration_ms: 3, topic: null, message: null, outcome, steps, ...extra };
}

const filterOn = { kind: 'filter' as const, label: 'new_state.state', ok: true, detail: '"on", wanted "on"' };
const filterOff = { kind: 'filter' as const, label: 'new_state.state', ok: false, detail: '"off", wanted "on"' };
const action = (ok: boolean, entity: string) => ({ kind: 'action' as const, label: `light.turn_on ${entity}`, ok, detail: ok ? 'HA answered ok' : 'HA error not_found: Entity not found' });

describe('traceReason', () => {
  it('names the clause that filtered a message out, with the value it read', () => {
    expect(traceReason(trace('filtered', [filterOff]))).toBe('new_state.state: "off", wanted "on"');
  });

  it('names the condition that was false and the state then, past the steps that passed', () => {
    const cond = { kind: 'condition' as const, label: 'sun.sun is below_horizon', ok: false, detail: 'state "above_horizon"' };
    expect(traceReason(trace('condition_false', [filterOn, cond]))).toBe('sun.sun is below_horizon: state "above_horizon"');
  });

  it('for a run, says what every action answered; for an error, only the actions that failed', () => {
    expect(traceReason(trace('acted', [filterOn, action(true, 'light.porch'), action(true, 'light.hall')]))).toBe(
      'light.turn_on light.porch: HA answered ok; light.turn_on light.hall: HA answered ok',
    );
    expect(traceReason(trace('failed', [filterOn, action(true, 'light.porch'), action(false, 'light.gone')]))).toBe('light.turn_on light.gone: HA error not_found: Entity not found');
  });

  it('for a schedule firing without actions, the last step; for an agent\'s own trace, its steps', () => {
    expect(traceReason(trace('fired', [{ kind: 'schedule', label: 'cron firing', ok: true, detail: 'scheduled for 07:00' }]))).toBe('cron firing: scheduled for 07:00');
    expect(traceReason(trace('step', [{ kind: 'agent', label: 'forecast read', ok: true, detail: 'rain 80%' }], { kind: 'agent' }))).toBe('forecast read: rain 80%');
  });

  it('falls back to the outcome when no step was recorded', () => {
    expect(traceReason(trace('cooldown', []))).toBe('cooldown');
  });
});

describe('outcomes', () => {
  it('counts each outcome once, what ran first and what was filtered last', () => {
    const ts = [trace('filtered', [filterOff]), trace('acted', []), trace('filtered', [filterOff]), trace('cooldown', []), trace('failed', [])];
    expect(outcomeCounts(ts)).toEqual([
      { outcome: 'acted', count: 1 },
      { outcome: 'failed', count: 1 },
      { outcome: 'cooldown', count: 1 },
      { outcome: 'filtered', count: 2 },
    ]);
    expect(outcomeCounts([])).toEqual([]);
  });

  it('gives what ran a success tone and what failed an error tone, each with its own glyph', () => {
    expect(outcomeLook('acted')).toMatchObject({ label: 'acted', tone: 'ok' });
    expect(outcomeLook('failed')).toMatchObject({ label: 'error', tone: 'bad' });
    expect(outcomeLook('filtered')).toMatchObject({ label: 'filtered out', tone: 'skip' });
    const glyphs = (['acted', 'failed', 'unreachable', 'refused_sensitive', 'cooldown', 'condition_false', 'filtered'] as const).map((o) => outcomeLook(o).glyph);
    expect(new Set(glyphs).size).toBe(glyphs.length);
  });

  it('shows an outcome or step kind a newer server adds by its own name', () => {
    expect(outcomeLook('some_new_outcome' as RuleTraceOutcome)).toMatchObject({ label: 'some new outcome' });
    expect(stepKindLabel('sensitive')).toBe('confirmation');
    expect(stepKindLabel('mystery' as RuleTraceStep['kind'])).toBe('mystery');
  });
});

describe('times', () => {
  it('shows step offsets and durations in ms below a second, in seconds above', () => {
    expect(stepTime(undefined)).toBe('');
    expect(stepTime(37.4)).toBe('+37 ms');
    expect(stepTime(1234)).toBe('+1.2 s');
    expect(duration(0)).toBe('0 ms');
    expect(duration(2500)).toBe('2.5 s');
  });

  it('leaves the date out for today and names it otherwise', () => {
    const at = '2026-05-13T10:42:10.000Z';
    const sameDay = Date.parse(at) + 60_000;
    expect(traceTime(at, sameDay)).not.toContain('May');
    expect(traceTime(at, sameDay + 3 * 86_400_000)).toContain('May');
  });
});
