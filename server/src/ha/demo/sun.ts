// sun.sun as HA's sun integration reports it: above_horizon/below_horizon with the next
// dawn/dusk/midnight/noon/rising/setting times and the current elevation and azimuth.
import SunCalc, { type GetTimesResult } from 'suncalc';
import { isoTime } from './protocol.ts';

const DAY = 86_400_000;

export function sunState(now: number, latitude: number, longitude: number): { state: string; attributes: Record<string, unknown> } {
  const next = (pick: (t: GetTimesResult) => Date): string => {
    for (let d = -1; d <= 2; d++) {
      const at = pick(SunCalc.getTimes(new Date(now + d * DAY), latitude, longitude)).getTime();
      if (Number.isFinite(at) && at > now) return isoTime(at);
    }
    return isoTime(now + DAY);
  };
  const today = SunCalc.getTimes(new Date(now), latitude, longitude);
  const position = SunCalc.getPosition(new Date(now), latitude, longitude);
  const elevation = Math.round(((position.altitude * 180) / Math.PI) * 100) / 100;
  // suncalc's azimuth is measured from south; HA's (astral) from north.
  const azimuth = Math.round((((position.azimuth * 180) / Math.PI + 180) % 360) * 100) / 100;
  const above = now >= today.sunrise.getTime() && now < today.sunset.getTime();
  return {
    state: above ? 'above_horizon' : 'below_horizon',
    attributes: {
      next_dawn: next((t) => t.dawn),
      next_dusk: next((t) => t.dusk),
      next_midnight: next((t) => new Date(t.nadir.getTime())),
      next_noon: next((t) => t.solarNoon),
      next_rising: next((t) => t.sunrise),
      next_setting: next((t) => t.sunset),
      elevation,
      azimuth,
      rising: now < today.solarNoon.getTime(),
      friendly_name: 'Sun',
    },
  };
}
