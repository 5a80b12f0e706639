// When a schedule would have fired within a past window: daily, weekly and cron specs through
// croner in the schedule's (or HA's) time zone, intervals by arithmetic, once by its moment.
// Sun events are left out: they need the location's solar table, not a pattern.
import { Cron } from 'croner';
import type { Schedule } from '../../spawn-config/schedule.ts';

const MAX_RUNS = 10_000;

export type ScheduleRuns = { ok: true; times: number[] } | { ok: false; note: string };

export function scheduleRuns(schedule: Schedule, from: number, to: number, timezone: string | undefined): ScheduleRuns {
  switch (schedule.kind) {
    case 'daily':
      return cronRuns(`${minuteHour(schedule.at)} * * *`, from, to, schedule.timezone ?? timezone);
    case 'weekly':
      return cronRuns(`${minuteHour(schedule.at)} * * ${schedule.days.join(',')}`, from, to, schedule.timezone ?? timezone);
    case 'cron':
      return cronRuns(schedule.expr, from, to, schedule.timezone ?? timezone);
    case 'interval': {
      const step = schedule.seconds * 1000;
      const times: number[] = [];
      for (let t = from + step; t <= to && times.length < MAX_RUNS; t += step) times.push(t);
      return { ok: true, times };
    }
    case 'once': {
      const at = Date.parse(schedule.at);
      return { ok: true, times: at >= from && at <= to ? [at] : [] };
    }
    case 'sun':
      return { ok: false, note: 'sun-based schedules are not backtested' };
  }
}

function minuteHour(at: string): string {
  const [h = '0', m = '0', s] = at.split(':');
  return `${s !== undefined ? `${Number(s)} ` : ''}${Number(m)} ${Number(h)}`;
}

function cronRuns(pattern: string, from: number, to: number, timezone: string | undefined): ScheduleRuns {
  let job: Cron;
  try {
    job = new Cron(pattern, { paused: true, ...(timezone ? { timezone } : {}) });
  } catch (err) {
    return { ok: false, note: `the schedule cannot be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  const times: number[] = [];
  let prev: Date | null = new Date(from);
  while (times.length < MAX_RUNS) {
    prev = job.nextRun(prev);
    if (!prev || prev.getTime() > to) break;
    times.push(prev.getTime());
  }
  job.stop();
  return { ok: true, times };
}
