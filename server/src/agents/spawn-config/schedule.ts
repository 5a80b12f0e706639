// Schedules for `scheduled` agents: daily, weekly, interval, once, cron and sun events. The seeds'
// planner wrote {"type": "daily", "at": "17:00"}; we call the discriminator `kind` (`type` is the
// agent's type) and accept `type` as an alias, plus the other shorthands LLMs produce.
import { Cron } from 'croner';
import { z } from 'zod';
import { isPlainObject } from '../../bus/topic-bus/dotted-path.ts';
import { MAX_INTERVAL_SECONDS } from './limits.ts';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const SUN_EVENTS = ['sunrise', 'sunset', 'dawn', 'dusk', 'solar_noon'] as const;

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, { error: 'expected a 24-hour time "HH:MM", e.g. "07:30"' });
const Timezone = z.string().refine(isTimezone, { error: 'expected an IANA time zone like "Europe/Athens"' }).optional();
const IsoMoment = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, {
    error: 'expected an ISO 8601 date-time like "2026-05-01T09:00:00"',
  })
  .refine(isRealDate, { error: 'not a real calendar date' });
const CronExpr = z.string().superRefine((expr, ctx) => {
  const problem = cronProblem(expr);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid cron expression: ${problem}` });
});

export const Schedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily'), at: TimeOfDay, timezone: Timezone }).strict(),
  z.object({ kind: z.literal('weekly'), at: TimeOfDay, days: z.array(z.enum(DAYS)).min(1), timezone: Timezone }).strict(),
  z.object({ kind: z.literal('interval'), seconds: z.number().min(1).max(MAX_INTERVAL_SECONDS) }).strict(),
  z.object({ kind: z.literal('once'), at: IsoMoment, timezone: Timezone }).strict(),
  z.object({ kind: z.literal('cron'), expr: CronExpr, timezone: Timezone }).strict(),
  z
    .object({
      kind: z.literal('sun'),
      event: z.enum(SUN_EVENTS),
      /** Seconds after (positive) or before (negative) the event. */
      offset: z.number().min(-6 * 3600).max(6 * 3600).default(0),
    })
    .strict(),
]);
export type Schedule = z.infer<typeof Schedule>;
export const SCHEDULE_KINDS = ['daily', 'weekly', 'interval', 'once', 'cron', 'sun'] as const;

const KIND_ALIASES: Record<string, string> = {
  every: 'interval', repeat: 'interval', periodic: 'interval', at: 'once', oneshot: 'once', one_shot: 'once',
  one_off: 'once', single: 'once', crontab: 'cron', sunrise: 'sun', sunset: 'sun', solar: 'sun',
};

const DAY_WORDS: Record<string, readonly string[]> = {
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  weekends: ['sat', 'sun'], weekend: ['sat', 'sun'], everyday: DAYS, daily: DAYS, all: DAYS,
};

/** Shorthands -> canonical fields. Anything it cannot make sense of is left for the schema to report. */
export function normalizeSchedule(raw: unknown): unknown {
  if (typeof raw === 'string' && /^(\S+\s+){4,6}\S+$/.test(raw.trim())) return { kind: 'cron', expr: raw.trim() };
  if (!isPlainObject(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  if (out.kind === undefined && out.type !== undefined) {
    out.kind = out.type;
    delete out.type;
  }
  if (typeof out.kind === 'string') {
    const kind = out.kind.trim().toLowerCase().replace(/[\s-]/g, '_');
    out.kind = KIND_ALIASES[kind] ?? kind;
    if (out.event === undefined && (kind === 'sunrise' || kind === 'sunset')) out.event = kind;
  }
  rename(out, ['time'], 'at');
  rename(out, ['expression', 'cron', 'pattern'], 'expr');
  rename(out, ['tz', 'time_zone'], 'timezone');
  if (typeof out.at === 'string' && /^\d:\d{2}/.test(out.at)) out.at = `0${out.at}`;
  if (out.days !== undefined) out.days = normalizeDays(out.days);
  if (out.kind === 'daily' && Array.isArray(out.days)) out.kind = out.days.length === 7 ? 'daily' : 'weekly';
  if (out.kind === 'daily') delete out.days;
  if (out.kind === 'interval') {
    const units: [string, number][] = [['minutes', 60], ['hours', 3600], ['every', 1], ['interval', 1], ['every_seconds', 1]];
    for (const [field, factor] of units) {
      if (out.seconds === undefined && typeof out[field] === 'number') out.seconds = (out[field]) * factor;
      delete out[field];
    }
  }
  if (out.kind === 'sun') {
    rename(out, ['offset_seconds'], 'offset');
    if (typeof out.offset_minutes === 'number' && out.offset === undefined) out.offset = out.offset_minutes * 60;
    delete out.offset_minutes;
    if (typeof out.offset === 'string') out.offset = parseOffset(out.offset) ?? out.offset;
    if (typeof out.event === 'string') out.event = out.event.toLowerCase().replace(/\s+/g, '_');
  }
  return out;
}

function rename(obj: Record<string, unknown>, from: string[], to: string): void {
  for (const key of from) {
    if (obj[key] !== undefined && obj[to] === undefined) obj[to] = obj[key];
    if (key !== to) delete obj[key];
  }
}

function normalizeDays(days: unknown): unknown {
  const list = typeof days === 'string' ? days.split(/[\s,]+/) : days;
  if (!Array.isArray(list)) return days;
  const out: unknown[] = [];
  for (const d of list) {
    if (typeof d !== 'string') {
      out.push(d);
      continue;
    }
    const word = d.trim().toLowerCase();
    const expanded = DAY_WORDS[word] ?? [word.length > 3 && DAYS.includes(word.slice(0, 3) as never) ? word.slice(0, 3) : word];
    for (const day of expanded) if (!out.includes(day)) out.push(day);
  }
  return out;
}

/** "-00:30", "+1:15:00", "-30m", "45s" -> seconds. */
export function parseOffset(text: string): number | undefined {
  const t = text.trim();
  const hms = /^([+-])?(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (hms) {
    const sign = hms[1] === '-' ? -1 : 1;
    return sign * (Number(hms[2]) * 3600 + Number(hms[3]) * 60 + Number(hms[4] ?? 0));
  }
  const unit = /^([+-]?\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr)?$/.exec(t);
  if (!unit) return undefined;
  const factor = { s: 1, sec: 1, m: 60, min: 60, h: 3600, hr: 3600 }[unit[2] ?? 's'] ?? 1;
  return Number(unit[1]) * factor;
}

function cronProblem(expr: string): string | undefined {
  try {
    new Cron(expr, { paused: true }).stop();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.replace(/^CronPattern:\s*/, '') : String(err);
  }
}

/** Date.parse rolls 2026-02-30 over to March; a schedule that says February 30 is a mistake. */
function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return !Number.isNaN(Date.parse(iso)) && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
