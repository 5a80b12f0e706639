// `/rules trace <rule> [time]` and the API's traces: the traces around a time (or the latest), and
// when there are none, what the rule listens to and what the HA state bridge saw for its entities
// (HA's history in that window, else the entity's last change) — "nothing arrived" is an answer too.
import type { HaClient } from '../../../ha/client.ts';
import { formatTime } from '../rules/rule-format.ts';
import { watchedEntities } from '../rules/republish.ts';
import type { Rule } from '../rules/rule.ts';
import { ruleFacts } from '../validation/rule-graph.ts';
import type { RuleTraceRecorder } from './recorder.ts';
import { buildTraceSummary } from './summary.ts';

/** "10:42" means the evaluations from 10:37 to 10:47: a person remembers the minute, not the second. */
export const AROUND_MS = 5 * 60_000;
/** Without a time: the latest evaluations. */
export const LATEST = 5;

export interface TraceReportDeps {
  traces: RuleTraceRecorder;
  ha?: Pick<HaClient, 'history' | 'getState'> | undefined;
  timezone?: string | undefined;
  root?: string | undefined;
}

export async function traceReport(deps: TraceReportDeps, rule: Rule, at?: number): Promise<string> {
  const title = rule.title;
  if (at === undefined) {
    const traces = deps.traces.list(rule.id, { limit: LATEST });
    if (traces.length > 0) return buildTraceSummary({ rule: { id: rule.id, title }, traces, timezone: deps.timezone });
    return buildTraceSummary({ rule: { id: rule.id, title }, traces, timezone: deps.timezone, topics: topicsOf(rule, deps.root), bridge: await bridgeSaw(deps, rule) });
  }
  const window = { from: at - AROUND_MS, to: at + AROUND_MS };
  const traces = deps.traces.list(rule.id, window);
  if (traces.length > 0) return buildTraceSummary({ rule: { id: rule.id, title }, traces, window, timezone: deps.timezone });
  return buildTraceSummary({ rule: { id: rule.id, title }, traces, window, timezone: deps.timezone, topics: topicsOf(rule, deps.root), bridge: await bridgeSaw(deps, rule, window) });
}

function topicsOf(rule: Rule, root?: string): string[] {
  return [...new Set(ruleFacts(rule.agents.map((a) => a.config), root).flatMap((f) => f.consumes))];
}

async function bridgeSaw(deps: TraceReportDeps, rule: Rule, window?: { from: number; to: number }): Promise<string[]> {
  const { ha, timezone } = deps;
  if (!ha) return [];
  const out: string[] = [];
  for (const id of watchedEntities(rule.agents.map((a) => a.config), deps.root)) {
    let changes: { state: string; last_changed: string }[] | undefined;
    if (window) {
      try {
        const [entries = []] = await ha.history({ entityIds: [id], start: new Date(window.from), end: new Date(window.to), minimal: true, noAttributes: true });
        // HA's history starts with the state at `start`: only entries that changed inside count.
        changes = entries.filter((e) => Date.parse(e.last_changed) >= window.from);
      } catch {
        changes = undefined;
      }
    }
    if (changes && changes.length > 0) {
      out.push(`${id} changed ${changes.length}× in that window: ${changes.map((c) => `${formatTime(Date.parse(c.last_changed), timezone)} ${c.state}`).join(', ')} (the rule heard none of it: check its trigger topic and filter)`);
      continue;
    }
    const state = ha.getState(id);
    const last = state ? `now ${JSON.stringify(state.state)}, last changed ${formatTime(Date.parse(state.last_changed), timezone)}` : 'unknown to Home Assistant';
    const seen = !window ? '' : changes ? 'no change in that window; ' : 'no history for that window; ';
    out.push(`${id}: ${seen}${last}`);
  }
  return out;
}
