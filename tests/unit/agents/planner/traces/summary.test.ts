// The compact trace summary (what /rules trace prints and what the model will read), the [time]
// of /rules trace, and how an incoming message is kept.
import { expect, test } from 'vitest';
import { trimmed, traceMessage } from '../../../../../server/src/agents/ha/trace.ts';
import { buildTraceSummary, stoppedBy, summarizeTrace } from '../../../../../server/src/agents/planner/traces/summary.ts';
import type { StoredTrace } from '../../../../../server/src/agents/planner/traces/trace-store.ts';
import { parseTraceTime } from '../../../../../server/src/agents/planner/traces/when.ts';

const AT = Date.UTC(2026, 0, 1, 10, 42, 7);
const rule = { id: 'r1', title: 'Porch light' };

function trace(over: Partial<StoredTrace>): StoredTrace {
  return { id: 1, ruleId: 'r1', agent: 'porch-light', kind: 'trigger', at: AT, durationMs: 3, topic: 'wactorz/ha/state_changes/binary_sensor/binary_sensor.porch', message: 'binary_sensor.porch: "off" -> "on"', outcome: 'acted', steps: [], ...over };
}

test('a rule held by a condition: what arrived and the condition that stopped it', () => {
  const t = trace({
    outcome: 'condition_false',
    steps: [
      { kind: 'filter', label: 'new_state.state', ok: true, detail: '"on", wanted "on"' },
      { kind: 'cooldown', label: 'cooldown', ok: true },
      { kind: 'ha', label: 'Home Assistant reachable', ok: true },
      { kind: 'condition', label: 'sun.sun', ok: false, detail: 'sun.sun is "above_horizon", the rule wants eq "below_horizon"' },
    ],
  });
  expect(stoppedBy(t)).toBe('condition sun.sun (sun.sun is "above_horizon", the rule wants eq "below_horizon")');
  expect(summarizeTrace(t, 'UTC').split('\n')).toEqual([
    '2026-01-01 10:42:07 porch-light [trigger] condition false (3 ms)',
    '    arrived on wactorz/ha/state_changes/binary_sensor/binary_sensor.porch: binary_sensor.porch: "off" -> "on"',
    '    stopped by condition sun.sun (sun.sun is "above_horizon", the rule wants eq "below_horizon")',
    '    ✓ filter new_state.state: "on", wanted "on"',
    '    ✓ cooldown cooldown',
    '    ✓ ha Home Assistant reachable',
    '    ✗ condition sun.sun: sun.sun is "above_horizon", the rule wants eq "below_horizon"',
  ]);
});

test('a rule that acted names no stop; an action HA refused is the stop', () => {
  expect(stoppedBy(trace({ steps: [{ kind: 'action', label: 'light.turn_on light.porch', ok: true, detail: 'HA answered ok' }] }))).toBeUndefined();
  const failed = trace({ outcome: 'failed', steps: [{ kind: 'action', label: 'light.turn_on light.porch', ok: false, detail: 'HA error not_found: no such entity' }] });
  expect(summarizeTrace(failed, 'UTC')).toContain('acted, and an action failed');
  expect(stoppedBy(failed)).toBe('action light.turn_on light.porch (HA error not_found: no such entity)');
});

test('the header counts evaluations, firings and agent steps in the window', () => {
  const text = buildTraceSummary({
    rule,
    traces: [trace({ id: 3 }), trace({ id: 2, kind: 'agent', agent: 'porch-detector', outcome: 'step', topic: null, message: null, steps: [{ kind: 'agent', label: 'person seen', ok: true }] }), trace({ id: 1, outcome: 'cooldown' })],
    window: { from: AT - 300_000, to: AT + 300_000 },
    timezone: 'UTC',
  });
  expect(text.split('\n')[0]).toBe('Rule r1 (Porch light): 2 evaluations between 2026-01-01 10:37 and 2026-01-01 10:47, 1 acted, 1 agent step (newest first):');
  expect(text).toContain('porch-detector [agent] agent step');
  expect(text).toContain('held by the cooldown');
});

test('nothing evaluated: it says so, with the topics and what the bridge saw', () => {
  const text = buildTraceSummary({ rule, traces: [], window: { from: AT - 300_000, to: AT + 300_000 }, timezone: 'UTC', topics: ['ha/state_changes/binary_sensor/binary_sensor.porch'], bridge: ['binary_sensor.porch: no change in that window; now "off"'] });
  expect(text).toBe([
    'Rule r1 (Porch light): no evaluation between 2026-01-01 10:37 and 2026-01-01 10:47: nothing arrived on its trigger topics (ha/state_changes/binary_sensor/binary_sensor.porch).',
    'What the state bridge saw:',
    '  binary_sensor.porch: no change in that window; now "off"',
  ].join('\n'));
});

test('[time]: the last such minute in HA\'s zone, or a full date-time; nonsense is refused', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0);
  expect(parseTraceTime('10:42', now, 'UTC')).toBe(Date.UTC(2026, 0, 1, 10, 42));
  // 13:00 in Berlin is 12:00 UTC: still today. 14:00 has not come yet: yesterday's.
  expect(parseTraceTime('13:00', now, 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 1, 12, 0));
  expect(parseTraceTime('14:00', now, 'Europe/Berlin')).toBe(Date.UTC(2025, 11, 31, 13, 0));
  expect(parseTraceTime('2026-01-01 10:42', now, 'UTC')).toBe(Date.UTC(2026, 0, 1, 10, 42));
  expect(parseTraceTime('25:00', now, 'UTC')).toBeUndefined();
  expect(parseTraceTime('teatime', now, 'UTC')).toBeUndefined();
});

test('a state change is kept as its transition; anything else as trimmed JSON', () => {
  expect(traceMessage({ entity_id: 'light.x', new_state: { state: 'on', attributes: { big: 'x'.repeat(5000) } }, old_state: { state: 'off' } })).toBe('light.x: "off" -> "on"');
  expect(traceMessage({ entity_id: 'light.x', new_state: { state: 'on' }, old_state: null })).toBe('light.x: (none) -> "on"');
  expect(traceMessage({ detected: true })).toBe('{"detected":true}');
  expect(trimmed('y'.repeat(600))).toBe(`${'y'.repeat(500)}… (100 more)`);
});
