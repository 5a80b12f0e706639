// Backtests on recorded history: the demo home's recorder (HA's /api/history/period) holds a
// week of made-up states, and the backtest replays a rule's trigger, conditions and cooldown
// against it through the real HA client.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ManualClock } from '../../../../server/src/core/clock.ts';
import { backtest, formatBacktest } from '../../../../server/src/agents/planner/backtest/backtest.ts';
import { triggerOf } from '../../../../server/src/agents/planner/backtest/trigger.ts';
import { validateSpawnConfig } from '../../../../server/src/agents/spawn-config/validate.ts';
import type { SpawnConfig } from '../../../../server/src/agents/spawn-config/config-schema.ts';
import { demoHa, type DemoHa } from './demo-ha.ts';

const NOW = Date.UTC(2030, 5, 10, 12); // a Monday, well after anything the demo home records live
const H = 3_600_000;
const clock = new ManualClock(NOW);
let d: DemoHa;

beforeAll(async () => {
  d = await demoHa();
  const rec = (id: string, state: string, hoursAgo: number, attrs: Record<string, unknown> = {}) => d.home.recordHistory(id, state, attrs, NOW - hoursAgo * H);
  // Hallway motion: off before the window, then on/off pairs; two "on" 5 minutes apart on day 2.
  rec('binary_sensor.hallway_motion', 'off', 200);
  for (const h of [150, 100, 47.9, 47.8, 20, 2]) {
    rec('binary_sensor.hallway_motion', 'on', h);
    rec('binary_sensor.hallway_motion', 'off', h - 0.05);
  }
  // The sun: below the horizon only around the 100 h and 20 h mark.
  rec('sun.sun', 'above_horizon', 200);
  rec('sun.sun', 'below_horizon', 101);
  rec('sun.sun', 'above_horizon', 99);
  rec('sun.sun', 'below_horizon', 21);
  rec('sun.sun', 'above_horizon', 19);
  // Bedroom temperature crossing 25 twice.
  for (const [v, h] of [[22, 200], [24, 120], [26, 110], [27, 100], [23, 60], [25.5, 30], [24, 10]] as const) rec('sensor.bedroom_temperature', String(v), h);
});
afterAll(async () => {
  await d.close();
});

function configs(...raw: Record<string, unknown>[]): SpawnConfig[] {
  return raw.map((r) => {
    const v = validateSpawnConfig(r);
    if (!v.ok) throw new Error(v.error);
    return v.config;
  });
}

const motionActuator = (extra: Record<string, unknown> = {}) => ({
  type: 'ha_actuator',
  name: 'hall',
  mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.hallway_motion'],
  detection_filter: { 'new_state.state': 'on' },
  cooldown_seconds: 0,
  actions: [{ domain: 'light', service: 'turn_on', entity_id: 'light.hallway' }],
  ...extra,
});

test('a state trigger fires once per matching change in the window, with the times', async () => {
  const r = await backtest(triggerOf(configs(motionActuator())), { clock, ha: d.ha });
  expect(r).toMatchObject({ source: 'ha_history', fires: 6, events: 12, windowHours: 168 });
  expect(r.times).toEqual([150, 100, 47.9, 47.8, 20, 2].map((h) => NOW - h * H));
  expect(formatBacktest(r, 'UTC')).toBe('Backtest (last 7 days, over 12 recorded changes of the trigger): would have fired 6 times: Tue 04 Jun 06:00, Thu 06 Jun 08:00, Sat 08 Jun 12:06, Sat 08 Jun 12:12, Sun 09 Jun 16:00 and 1 more.');
});

test('the cooldown merges firings closer than it', async () => {
  const r = await backtest(triggerOf(configs(motionActuator({ cooldown_seconds: 600 }))), { clock, ha: d.ha });
  expect(r.fires).toBe(5);
});

test('conditions are read from the history of their entities at the moment of the trigger', async () => {
  const r = await backtest(triggerOf(configs(motionActuator({ conditions: [{ entity_id: 'sun.sun', state: 'below_horizon' }] }))), { clock, ha: d.ha });
  expect(r.fires).toBe(2);
  expect(r.times).toEqual([NOW - 100 * H, NOW - 20 * H]);
});

test('a numeric threshold crossing counts only crossings', async () => {
  const crossing = { 'old_state.state': { lte: 25 }, 'new_state.state': { gt: 25 } };
  const r = await backtest(triggerOf(configs(motionActuator({ mqtt_topics: ['ha/state_changes/sensor/sensor.bedroom_temperature'], detection_filter: crossing }))), { clock, ha: d.ha });
  expect(r.fires).toBe(2);
  expect(r.times).toEqual([NOW - 110 * H, NOW - 30 * H]);
  const above = await backtest(triggerOf(configs(motionActuator({ mqtt_topics: ['ha/state_changes/sensor/sensor.bedroom_temperature'], detection_filter: { 'new_state.state': { gt: 25 } } }))), { clock, ha: d.ha });
  expect(above.fires).toBe(3);
});

test('a trigger in code is backtested from the plan\'s declared trigger, with its actuator\'s cooldown', async () => {
  const filter = { type: 'dynamic', name: 'f', code: "async function setup(agent) { agent.subscribe('ha/state_changes/#', async (p) => { if (p.entity_id === 'binary_sensor.hallway_motion' && p.new_state.state === 'on') await agent.publish('custom/triggers/hall', { triggered: true }); }); }", publishes: ['custom/triggers/hall'] };
  const act = motionActuator({ mqtt_topics: ['custom/triggers/hall'], detection_filter: { triggered: true }, cooldown_seconds: 600 });
  const r = await backtest(triggerOf(configs(filter, act), { entity_id: 'binary_sensor.hallway_motion', filter: { 'new_state.state': 'on' }, conditions: [] }), { clock, ha: d.ha });
  expect(r.fires).toBe(5);
});

test('a daily schedule fires once a day in the window, in its time zone', async () => {
  const sched = { type: 'scheduled', name: 'midnight', schedule: { kind: 'daily', at: '00:00' }, actions: [{ domain: 'light', service: 'turn_off', entity_id: 'light.kitchen' }] };
  const r = await backtest(triggerOf(configs(sched)), { clock, ha: d.ha, timezone: 'Europe/Amsterdam' });
  expect(r).toMatchObject({ source: 'schedule', fires: 7 });
  expect(new Date(r.times[0]).toISOString()).toBe('2030-06-03T22:00:00.000Z');
  const weekdays = await backtest(triggerOf(configs({ ...sched, schedule: { kind: 'weekly', at: '07:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } })), { clock, ha: d.ha, timezone: 'UTC' });
  expect(weekdays.fires).toBe(5);
});

test('a camera-detection rule cannot be replayed, and says why', async () => {
  const det = { type: 'dynamic', name: 'cam', code: "async function process(agent) { await agent.publish('custom/detections/cam', { detected: true }); }" };
  const act = motionActuator({ mqtt_topics: ['custom/detections/cam'], detection_filter: { detected: true } });
  const r = await backtest(triggerOf(configs(det, act)), { clock, ha: d.ha });
  expect(r.fires).toBeUndefined();
  expect(formatBacktest(r)).toBe('Backtest: not run (the trigger is live MQTT data or a camera, which has no recorded history to replay).');
});
