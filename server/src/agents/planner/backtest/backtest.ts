// Backtest: replays a rule's trigger against recorded history and says how often, and when, it
// would have fired: every recorded change of the trigger entity goes through the same filter the
// ha_actuator applies, the conditions are read from the history of their entities at that
// moment, and the cooldown is honoured. Schedules are replayed from their spec.
import type { Clock } from '../../../core/clock.ts';
import type { HaClient, HassEntity } from '../../../ha/client.ts';
import { checkConditions } from '../../ha/conditions.ts';
import { holdingFilter } from '../../ha/actuator/hold.ts';
import { matchesFilter } from '../../ha/filter.ts';
import type { DetectionFilter } from '../../spawn-config/detection-filter.ts';
import { errorText } from '../deadline.ts';
import { scheduleRuns } from './schedule-runs.ts';
import { timelinesFromHistory, type StatePoint, type Timeline } from './timeline.ts';
import { describeTrigger, type BacktestTrigger } from './trigger.ts';

export const DEFAULT_BACKTEST_HOURS = 7 * 24;
const MAX_TIMES = 20;

export interface BacktestResult {
  ranAt: number;
  windowHours: number;
  source: 'ha_history' | 'schedule' | 'none';
  /** undefined when the trigger could not be replayed (see note). */
  fires: number | undefined;
  /** The first fire times (epoch ms), at most 20. */
  times: number[];
  trigger: string;
  /** Changes of the trigger entity seen in the window (how much history there was). */
  events: number;
  note?: string;
}

export interface BacktestDeps {
  clock: Clock;
  ha: Pick<HaClient, 'history'>;
  /** HA's time zone, for schedules without their own. */
  timezone?: string;
}

export async function backtest(trigger: BacktestTrigger | undefined, deps: BacktestDeps, options: { windowHours?: number; signal?: AbortSignal } = {}): Promise<BacktestResult> {
  const windowHours = options.windowHours ?? DEFAULT_BACKTEST_HOURS;
  const to = deps.clock.now();
  const from = to - windowHours * 3_600_000;
  const base = { ranAt: to, windowHours, times: [] as number[], events: 0 };
  if (!trigger) return { ...base, source: 'none', fires: undefined, trigger: 'not replayable', note: 'the trigger is live MQTT data or a camera, which has no recorded history to replay' };
  const entities = [...new Set([...(trigger.kind === 'state' ? [trigger.entityId] : []), ...trigger.conditions.map((c) => c.entity_id)])];
  let timelines = new Map<string, Timeline>();
  if (entities.length) {
    try {
      timelines = timelinesFromHistory(await deps.ha.history({ entityIds: entities, start: new Date(from), end: new Date(to), ...(options.signal ? { signal: options.signal } : {}) }));
    } catch (err) {
      return { ...base, source: 'none', fires: undefined, trigger: describeTrigger(trigger), note: `Home Assistant's history could not be read: ${errorText(err)}` };
    }
  }
  // The actuator's own condition check, on the history instead of the live cache.
  const holds = (at: number) => checkConditions(trigger.conditions, (id) => stateAt(timelines, id, at)).ok;
  switch (trigger.kind) {
    case 'state': {
      const tl = timelines.get(trigger.entityId);
      const fires: number[] = [];
      let events = 0;
      let last = -Infinity;
      const pts = tl?.points ?? [];
      for (let i = 1; i < pts.length; i++) {
        const prev = pts[i - 1];
        const cur = pts[i];
        if (cur.at < from || cur.at > to) continue;
        events++;
        const payload = {
          entity_id: trigger.entityId,
          domain: trigger.entityId.split('.')[0],
          old_state: { entity_id: trigger.entityId, state: prev.state, attributes: prev.attributes },
          new_state: { entity_id: trigger.entityId, state: cur.state, attributes: cur.attributes },
        };
        if (!matchesFilter(trigger.filter, payload)) continue;
        let at = cur.at;
        if (trigger.forSeconds !== undefined) {
          // As the actuator's hold: one firing per stretch, if the state lasts for_seconds.
          const end = stretchEnd(pts, i, trigger);
          at = cur.at + trigger.forSeconds * 1000;
          if (at > Math.min(end, to)) continue;
          if (fires.length && fires[fires.length - 1] >= cur.at) continue;
        }
        if (!holds(at)) continue;
        if (at - last < trigger.cooldownSeconds * 1000) continue;
        last = at;
        fires.push(at);
      }
      const note = pts.length === 0 ? `no recorded history of ${trigger.entityId} in the window` : undefined;
      return { ...base, source: 'ha_history', fires: fires.length, times: fires.slice(0, MAX_TIMES), events, trigger: describeTrigger(trigger), ...(note ? { note } : {}) };
    }
    case 'schedule': {
      const runs = scheduleRuns(trigger.schedule, from, to, trigger.timezone ?? deps.timezone);
      if (!runs.ok) return { ...base, source: 'schedule', fires: undefined, trigger: describeTrigger(trigger), note: runs.note };
      const fires = runs.times.filter(holds);
      return { ...base, source: 'schedule', fires: fires.length, times: fires.slice(0, MAX_TIMES), events: runs.times.length, trigger: describeTrigger(trigger) };
    }
  }
}

/** When the state matched at pts[i] stops holding (the holding clauses of the filter), or Infinity. */
function stretchEnd(pts: readonly StatePoint[], i: number, trigger: { entityId: string; filter: DetectionFilter | undefined }): number {
  const holding = holdingFilter(trigger.filter);
  for (let j = i + 1; j < pts.length; j++) {
    if (!matchesFilter(holding, { entity_id: trigger.entityId, new_state: { state: pts[j].state, attributes: pts[j].attributes } })) return pts[j].at;
  }
  return Infinity;
}

/** The state in force at `at`, shaped as the live cache's entity (what the actuator's checks read). */
function stateAt(timelines: ReadonlyMap<string, Timeline>, entityId: string, at: number): HassEntity | undefined {
  const p = timelines.get(entityId)?.at(at);
  if (!p) return undefined;
  const when = new Date(p.at).toISOString();
  return { entity_id: entityId, state: p.state, attributes: p.attributes, last_changed: when, last_updated: when, context: { id: '', parent_id: null, user_id: null } };
}

export function formatBacktest(b: BacktestResult, timezone?: string): string {
  const window = b.windowHours % 24 === 0 ? `${b.windowHours / 24} day${b.windowHours === 24 ? '' : 's'}` : `${b.windowHours} h`;
  if (b.fires === undefined) return `Backtest: not run (${b.note ?? 'no history'}).`;
  const when = b.times.slice(0, 5).map((t) => formatTime(t, timezone)).join(', ');
  const more = b.fires > 5 ? ` and ${b.fires - 5} more` : '';
  const basis = b.source === 'schedule' ? 'from its schedule' : `over ${b.events} recorded change${b.events === 1 ? '' : 's'} of the trigger`;
  const head = `Backtest (last ${window}, ${basis}): would have fired ${b.fires} time${b.fires === 1 ? '' : 's'}`;
  return `${head}${b.fires ? `: ${when}${more}` : ''}.${b.note ? ` ${b.note}.` : ''}`;
}

/** "Tue 04 Jun 06:00": no commas inside, so a list of them reads clearly. */
function formatTime(t: number, timezone?: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false, ...(timezone ? { timeZone: timezone } : {}) }).formatToParts(new Date(t));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('hour')}:${get('minute')}`;
}
