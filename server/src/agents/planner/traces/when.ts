// The [time] of `/rules trace <rule> [time]`: "10:42" is the last 10:42 that has passed in Home
// Assistant's time zone (today, or yesterday when it is 09:00 now); a full date-time is taken as
// given (local to HA's zone without an offset).
import { onceInstant } from '../../ha/scheduled/next-fire.ts';

const DAY = 24 * 3_600_000;

export function parseTraceTime(text: string, now: number, timezone = 'UTC'): number | undefined {
  const t = text.trim();
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  try {
    if (clock) {
      const [h, m, s = '0'] = clock.slice(1);
      if (Number(h) > 23 || Number(m) > 59 || Number(s) > 59) return undefined;
      const wall = `T${h.padStart(2, '0')}:${m}:${s.padStart(2, '0')}`;
      const at = onceInstant(`${dayIn(now, timezone)}${wall}`, timezone);
      return at > now ? onceInstant(`${dayIn(now - DAY, timezone)}${wall}`, timezone) : at;
    }
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}/.test(t)) return onceInstant(t, timezone);
  } catch {
    return undefined;
  }
  return undefined;
}

function dayIn(ms: number, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}
