import { describe, expect, it } from 'vitest';
import { nextFireTime, onceInstant } from '../../../../server/src/agents/ha/scheduled/next-fire.ts';
import type { Schedule } from '../../../../server/src/agents/spawn-config/schedule.ts';

const BERLIN = 'Europe/Berlin';
const AMSTERDAM = { latitude: 52.3731, longitude: 4.8922 };
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next n firings after `from`, each computed from the one before (as the agent does). */
function firings(spec: Schedule, from: string, n: number, tz = BERLIN): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let after = t(from);
  for (let i = 0; i < n; i++) {
    const next = nextFireTime(spec, after, tz, AMSTERDAM);
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
}

describe('nextFireTime: daily', () => {
  it('fires at the wall-clock time of the schedule zone, strictly after the given moment', () => {
    expect(firings({ kind: 'daily', at: '07:30' }, '2026-01-10T12:00:00Z', 2)).toEqual(['2026-01-11T06:30:00.000Z', '2026-01-12T06:30:00.000Z']);
    // Exactly at a firing: the next one is tomorrow's, never the same instant again.
    expect(iso(nextFireTime({ kind: 'daily', at: '07:30' }, t('2026-01-11T06:30:00Z'), BERLIN))).toBe('2026-01-12T06:30:00.000Z');
    expect(iso(nextFireTime({ kind: 'daily', at: '07:30:15' }, t('2026-01-11T06:30:00Z'), BERLIN))).toBe('2026-01-11T06:30:15.000Z');
  });

  it('keeps the local time across the spring change (Europe/Berlin, last Sunday of March 2026)', () => {
    // 09:00 CET is 08:00Z; from March 29 09:00 CEST is 07:00Z.
    expect(firings({ kind: 'daily', at: '09:00' }, '2026-03-27T12:00:00Z', 3)).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it('fires a time that does not exist on the spring-forward day when the clock jumps, once', () => {
    // 02:30 does not exist on 2026-03-29 (02:00 CET -> 03:00 CEST at 01:00Z).
    expect(firings({ kind: 'daily', at: '02:30' }, '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('fires a time that happens twice on the fall-back day once, at its first occurrence', () => {
    // 02:30 happens at 00:30Z (CEST) and 01:30Z (CET) on 2026-10-25.
    expect(firings({ kind: 'daily', at: '02:30' }, '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect(firings({ kind: 'daily', at: '09:00' }, '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T08:00:00.000Z', '2026-10-26T08:00:00.000Z']);
  });

  it('uses the spec\'s own time zone over Home Assistant\'s', () => {
    expect(iso(nextFireTime({ kind: 'daily', at: '07:00', timezone: 'America/New_York' }, t('2026-01-10T00:00:00Z'), BERLIN))).toBe('2026-01-10T12:00:00.000Z');
  });
});

describe('nextFireTime: weekly', () => {
  it('fires only on the listed days', () => {
    // 2026-01-10 is a Saturday.
    expect(firings({ kind: 'weekly', at: '07:00', days: ['mon', 'fri'] }, '2026-01-10T12:00:00Z', 3)).toEqual([
      '2026-01-12T06:00:00.000Z', '2026-01-16T06:00:00.000Z', '2026-01-19T06:00:00.000Z',
    ]);
  });

  it('follows both DST changes on a Sunday schedule', () => {
    expect(firings({ kind: 'weekly', at: '10:00', days: ['sun'] }, '2026-03-21T12:00:00Z', 3)).toEqual(['2026-03-22T09:00:00.000Z', '2026-03-29T08:00:00.000Z', '2026-04-05T08:00:00.000Z']);
    expect(firings({ kind: 'weekly', at: '10:00', days: ['sun'] }, '2026-10-18T12:00:00Z', 2)).toEqual(['2026-10-25T09:00:00.000Z', '2026-11-01T09:00:00.000Z']);
    expect(iso(nextFireTime({ kind: 'weekly', at: '02:30', days: ['sun'] }, t('2026-03-28T00:00:00Z'), BERLIN))).toBe('2026-03-29T01:00:00.000Z');
  });
});

describe('nextFireTime: interval', () => {
  it('is one period after the previous firing, whatever the zone or DST', () => {
    expect(iso(nextFireTime({ kind: 'interval', seconds: 1800 }, t('2026-03-29T00:45:00Z'), BERLIN))).toBe('2026-03-29T01:15:00.000Z');
    expect(firings({ kind: 'interval', seconds: 3600 }, '2026-10-25T00:00:00Z', 3)).toEqual(['2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z']);
  });
});

describe('nextFireTime: once', () => {
  it('reads a time without offset as local time in the zone, and an offset as given', () => {
    expect(iso(nextFireTime({ kind: 'once', at: '2026-05-01T09:00:00' }, t('2026-01-01T00:00:00Z'), BERLIN))).toBe('2026-05-01T07:00:00.000Z');
    expect(iso(nextFireTime({ kind: 'once', at: '2026-05-01T09:00:00+03:00' }, t('2026-01-01T00:00:00Z'), BERLIN))).toBe('2026-05-01T06:00:00.000Z');
    expect(iso(nextFireTime({ kind: 'once', at: '2026-05-01T09:00:00Z' }, t('2026-01-01T00:00:00Z'), BERLIN))).toBe('2026-05-01T09:00:00.000Z');
    expect(iso(nextFireTime({ kind: 'once', at: '2026-05-01' }, t('2026-01-01T00:00:00Z'), BERLIN))).toBe('2026-04-30T22:00:00.000Z');
  });

  it('moves a local time in the spring gap forward by the gap, and takes the first of a repeated one', () => {
    expect(new Date(onceInstant('2026-03-29T02:30:00', BERLIN)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(onceInstant('2026-10-25T02:30:00', BERLIN)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('has no firing once its moment has passed', () => {
    expect(nextFireTime({ kind: 'once', at: '2026-05-01T09:00:00Z' }, t('2026-05-01T09:00:00Z'), BERLIN)).toBeUndefined();
  });
});

describe('nextFireTime: cron', () => {
  it('runs the expression in the zone, across the spring change', () => {
    expect(firings({ kind: 'cron', expr: '0 7 * * mon-fri' }, '2026-03-27T12:00:00Z', 2)).toEqual(['2026-03-30T05:00:00.000Z', '2026-03-31T05:00:00.000Z']);
    expect(firings({ kind: 'cron', expr: '0 7 * * *' }, '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-29T05:00:00.000Z', '2026-03-30T05:00:00.000Z']);
  });

  it('fires a repeated hour once on the fall-back day, and a skipped one at the jump', () => {
    expect(firings({ kind: 'cron', expr: '30 2 * * *' }, '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect(firings({ kind: 'cron', expr: '30 2 * * *' }, '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(firings({ kind: 'cron', expr: '*/30 * * * *' }, '2026-10-25T00:15:00Z', 4)).toEqual([
      '2026-10-25T00:30:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T01:30:00.000Z', '2026-10-25T02:00:00.000Z',
    ]);
  });

  it('honours the spec\'s own zone', () => {
    expect(iso(nextFireTime({ kind: 'cron', expr: '0 7 * * *', timezone: 'UTC' }, t('2026-01-10T00:00:00Z'), BERLIN))).toBe('2026-01-10T07:00:00.000Z');
  });
});

describe('nextFireTime: sun', () => {
  const within = (actual: number | undefined, expected: string, minutes = 3) => {
    expect(actual).toBeDefined();
    expect(Math.abs((actual as number) - t(expected)) / 60_000).toBeLessThanOrEqual(minutes);
  };

  it('matches the almanac for Amsterdam at midsummer (sunrise 05:18, sunset 22:06 CEST)', () => {
    within(nextFireTime({ kind: 'sun', event: 'sunrise', offset: 0 }, t('2026-06-20T22:00:00Z'), BERLIN, AMSTERDAM), '2026-06-21T03:18:00Z');
    within(nextFireTime({ kind: 'sun', event: 'sunset', offset: 0 }, t('2026-06-21T12:00:00Z'), BERLIN, AMSTERDAM), '2026-06-21T20:06:00Z');
  });

  it('applies the offset, and moves to the next day once today\'s event has passed', () => {
    const sunset = nextFireTime({ kind: 'sun', event: 'sunset', offset: 0 }, t('2026-06-21T12:00:00Z'), BERLIN, AMSTERDAM) as number;
    expect(nextFireTime({ kind: 'sun', event: 'sunset', offset: -1800 }, t('2026-06-21T12:00:00Z'), BERLIN, AMSTERDAM)).toBe(sunset - 1_800_000);
    const tomorrow = nextFireTime({ kind: 'sun', event: 'sunset', offset: 0 }, sunset, BERLIN, AMSTERDAM) as number;
    expect((tomorrow - sunset) / 3_600_000).toBeGreaterThan(23.9);
    expect((tomorrow - sunset) / 3_600_000).toBeLessThan(24.1);
    // 30 minutes after sunset, asked 10 minutes after sunset: still today.
    expect(nextFireTime({ kind: 'sun', event: 'sunset', offset: 1800 }, sunset + 600_000, BERLIN, AMSTERDAM)).toBe(sunset + 1_800_000);
  });

  it('crosses the DST change on local solar days (sunrise on the last Sunday of March, Berlin)', () => {
    const berlin = { latitude: 52.52, longitude: 13.405 };
    // 05:52 CET, then 06:50 CEST: an hour later on the clock, two minutes earlier in the sky.
    within(nextFireTime({ kind: 'sun', event: 'sunrise', offset: 0 }, t('2026-03-27T12:00:00Z'), BERLIN, berlin), '2026-03-28T04:52:00Z');
    within(nextFireTime({ kind: 'sun', event: 'sunrise', offset: 0 }, t('2026-03-28T12:00:00Z'), BERLIN, berlin), '2026-03-29T04:50:00Z');
  });

  it('waits out the midnight sun: the next sunset in Tromsø after midsummer is in late July', () => {
    const next = nextFireTime({ kind: 'sun', event: 'sunset', offset: 0 }, t('2026-06-21T12:00:00Z'), 'Europe/Oslo', { latitude: 69.65, longitude: 18.96 }) as number;
    expect(next).toBeGreaterThan(t('2026-07-20T00:00:00Z'));
    expect(next).toBeLessThan(t('2026-07-28T00:00:00Z'));
  });

  it('needs a location', () => {
    expect(() => nextFireTime({ kind: 'sun', event: 'sunrise', offset: 0 }, 0, BERLIN)).toThrow(/location/);
  });
});
