import { describe, expect, it } from 'vitest';
import { normalizeSchedule, parseOffset } from '../../../../server/src/agents/spawn-config/schedule.ts';
import { validateSpawnConfig } from '../../../../server/src/agents/spawn-config/validate.ts';

function scheduled(input: Record<string, unknown>) {
  const r = validateSpawnConfig({ name: 'lights-off', type: 'scheduled', ...input });
  if (!r.ok) throw new Error(r.error);
  if (r.config.type !== 'scheduled') throw new Error('type');
  return r.config;
}
function errorOf(schedule: unknown): string {
  const r = validateSpawnConfig({ name: 'lights-off', type: 'scheduled', schedule });
  if (r.ok) throw new Error('expected a rejection');
  return r.error;
}

describe('scheduled agents', () => {
  it('read the planner forms of the seeds (type as the schedule discriminator)', () => {
    expect(scheduled({ schedule: { type: 'daily', at: '17:00' } }).schedule).toEqual({ kind: 'daily', at: '17:00' });
    expect(scheduled({ schedule: { type: 'weekly', at: '07:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] } }).schedule).toEqual({
      kind: 'weekly', at: '07:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    });
    expect(scheduled({ schedule: { type: 'interval', seconds: 1800 } }).schedule).toEqual({ kind: 'interval', seconds: 1800 });
    expect(scheduled({ schedule: { type: 'once', at: '2026-05-01T09:00:00+02:00' } }).schedule).toEqual({ kind: 'once', at: '2026-05-01T09:00:00+02:00' });
  });

  it('reads cron and sun schedules', () => {
    expect(scheduled({ schedule: { kind: 'cron', expr: '0 7 * * mon-fri', timezone: 'Europe/Athens' } }).schedule).toEqual({
      kind: 'cron', expr: '0 7 * * mon-fri', timezone: 'Europe/Athens',
    });
    expect(scheduled({ schedule: '30 6 * * *' }).schedule).toEqual({ kind: 'cron', expr: '30 6 * * *' });
    expect(scheduled({ schedule: { kind: 'sunset', offset: '-00:30' } }).schedule).toEqual({ kind: 'sun', event: 'sunset', offset: -1800 });
    expect(scheduled({ schedule: { kind: 'sun', event: 'sunrise' } }).schedule).toEqual({ kind: 'sun', event: 'sunrise', offset: 0 });
  });

  it('publishes on schedule/{name}/fired unless told otherwise', () => {
    expect(scheduled({ schedule: { kind: 'daily', at: '00:00' } }).publish_topic).toBe('schedule/lights-off/fired');
    const custom = scheduled({ schedule: { kind: 'daily', at: '00:00' }, publish: { topic: 'custom/triggers/midnight', payload: { all: true } } });
    expect(custom).toMatchObject({ publish_topic: 'custom/triggers/midnight', payload: { all: true } });
    expect(scheduled({ schedule: { kind: 'daily', at: '00:00' }, publish: 'x/y' }).publish_topic).toBe('x/y');
  });

  it('may call HA services directly', () => {
    expect(scheduled({ schedule: { kind: 'daily', at: '00:00' }, action: { service: 'light.turn_off', target: { area_id: 'all' } } }).actions).toEqual([
      { domain: 'light', service: 'turn_off', target: { area_id: ['all'] }, service_data: {} },
    ]);
  });

  it('names what is wrong', () => {
    expect(errorOf({ kind: 'daily', at: '25:00' })).toBe('spawn "lights-off" rejected: schedule.at: expected a 24-hour time "HH:MM", e.g. "07:30" (got "25:00")');
    expect(errorOf({ kind: 'weekly', at: '07:00', days: ['funday'] })).toContain('schedule.days[0]');
    expect(errorOf({ kind: 'interval', seconds: 0 })).toContain('schedule.seconds');
    expect(errorOf({ kind: 'once', at: 'tomorrow at 9' })).toContain('schedule.at: expected an ISO 8601 date-time');
    expect(errorOf({ kind: 'once', at: '2026-02-30T09:00:00Z' })).toContain('schedule.at');
    expect(errorOf({ kind: 'cron', expr: '61 * * * *' })).toContain('schedule.expr: invalid cron expression: Invalid value for minute: 61');
    expect(errorOf({ kind: 'daily', at: '07:00', timezone: 'Mars/Olympus' })).toContain('schedule.timezone');
    expect(errorOf({ kind: 'fortnightly' })).toContain('schedule.kind');
    expect(errorOf(undefined)).toContain('schedule: is required');
  });
});

describe('normalizeSchedule', () => {
  it('expands day words and full day names, and pads times', () => {
    expect(normalizeSchedule({ kind: 'weekly', at: '7:30', days: 'weekends' })).toEqual({ kind: 'weekly', at: '07:30', days: ['sat', 'sun'] });
    expect(normalizeSchedule({ kind: 'weekly', time: '08:00', days: ['Monday', 'wednesday'] })).toEqual({ kind: 'weekly', at: '08:00', days: ['mon', 'wed'] });
  });

  it('turns daily-with-days into weekly, and every-day weekly into daily', () => {
    expect(normalizeSchedule({ kind: 'daily', at: '08:00', days: 'weekdays' })).toMatchObject({ kind: 'weekly' });
    expect(normalizeSchedule({ kind: 'daily', at: '08:00', days: 'everyday' })).toEqual({ kind: 'daily', at: '08:00' });
  });

  it('converts interval units', () => {
    expect(normalizeSchedule({ kind: 'every', minutes: 15 })).toEqual({ kind: 'interval', seconds: 900 });
    expect(normalizeSchedule({ type: 'interval', hours: 2 })).toEqual({ kind: 'interval', seconds: 7200 });
  });

  it('parses offsets', () => {
    expect(parseOffset('+01:15')).toBe(4500);
    expect(parseOffset('-30m')).toBe(-1800);
    expect(parseOffset('45')).toBe(45);
    expect(parseOffset('soon')).toBeUndefined();
  });
});
