// When a schedule fires next: a pure function of the spec, a moment, a time zone and a location,
// so every kind (DST changes included) is tested without a clock. Wall-clock kinds go through
// croner in the schedule's zone (the spec's own `timezone`, else Home Assistant's), which fixes
// the DST rules for daily, weekly and cron alike:
//  - a time that does not exist on the spring-forward day (02:30 in Europe/Berlin on the last
//    Sunday of March) fires when the clock jumps, at 03:00 local;
//  - a time that happens twice on the fall-back day (02:30 on the last Sunday of October) fires
//    once, at its first occurrence.
// `once` without an offset is local time in that zone (a non-existent local time moves forward
// by the gap, as Temporal's "compatible" disambiguation does). Sun events come from suncalc at
// Home Assistant's latitude/longitude.
import { Cron } from 'croner';
import SunCalc from 'suncalc';
import type { Schedule } from '../../spawn-config/schedule.ts';

export interface GeoLocation {
  latitude: number;
  longitude: number;
  elevation?: number;
}

const DAY_MS = 86_400_000;
/** Polar day or night can hide a sun event for months; past a year it will not come. */
const SUN_SEARCH_DAYS = 370;

/**
 * The first firing strictly after `after` (ms since the epoch), or undefined when there is none
 * (a `once` in the past, a cron pattern that never matches again, a sun event that does not occur).
 * For `interval`, `after` is the previous firing: the next one is one period later.
 */
export function nextFireTime(spec: Schedule, after: number, tz: string, location?: GeoLocation): number | undefined {
  switch (spec.kind) {
    case 'interval':
      return after + spec.seconds * 1000;
    case 'daily':
      return cronNext(`${clockFields(spec.at)} * * *`, after, spec.timezone ?? tz);
    case 'weekly':
      return cronNext(`${clockFields(spec.at)} * * ${spec.days.join(',')}`, after, spec.timezone ?? tz);
    case 'cron':
      return cronNext(spec.expr, after, spec.timezone ?? tz);
    case 'once': {
      const at = onceInstant(spec.at, spec.timezone ?? tz);
      return at > after ? at : undefined;
    }
    case 'sun':
      if (!location) throw new RangeError('a sun schedule needs Home Assistant\'s location (latitude, longitude)');
      return sunNext(spec.event, spec.offset, after, location);
  }
}

/** The instant a `once` spec names (an ISO date-time; local time in `tz` when it has no offset). */
export function onceInstant(at: string, tz: string): number {
  const iso = at.length === 10 ? `${at}T00:00:00` : at.replace(' ', 'T');
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) return Date.parse(iso);
  const next = new Cron(iso, { timezone: tz, paused: true }).nextRun(new Date(0));
  if (!next) throw new RangeError(`cannot place ${at} in ${tz}`);
  return next.getTime();
}

/** "07:30" -> "0 30 7", "07:30:15" -> "15 30 7" (croner's seconds-first six-field form). */
function clockFields(at: string): string {
  const [h, m, s = '0'] = at.split(':');
  return `${Number(s)} ${Number(m)} ${Number(h)}`;
}

function cronNext(pattern: string, after: number, tz: string): number | undefined {
  const next = new Cron(pattern, { timezone: tz, paused: true }).nextRun(new Date(after));
  return next ? next.getTime() : undefined;
}

type SunEvent = Extract<Schedule, { kind: 'sun' }>['event'];

const SUNCALC_FIELD: Record<SunEvent, 'sunrise' | 'sunset' | 'dawn' | 'dusk' | 'solarNoon'> = {
  sunrise: 'sunrise', sunset: 'sunset', dawn: 'dawn', dusk: 'dusk', solar_noon: 'solarNoon',
};

function sunNext(event: SunEvent, offsetSeconds: number, after: number, loc: GeoLocation): number | undefined {
  // Solar days at this longitude: suncalc picks the transit nearest the moment it is given, so
  // local solar noon of each day is a stable way to name "that day". Starting a day early catches
  // an event (with a negative offset) that is still ahead today.
  const lonShift = (loc.longitude / 360) * DAY_MS;
  const firstDay = Math.floor((after + lonShift) / DAY_MS) - 1;
  for (let d = firstDay; d < firstDay + SUN_SEARCH_DAYS; d++) {
    const solarNoon = d * DAY_MS + DAY_MS / 2 - lonShift;
    const times = SunCalc.getTimes(new Date(solarNoon), loc.latitude, loc.longitude, loc.elevation ?? 0);
    const t = times[SUNCALC_FIELD[event]].getTime();
    if (Number.isNaN(t)) continue;
    const at = t + offsetSeconds * 1000;
    if (at > after) return at;
  }
  return undefined;
}
