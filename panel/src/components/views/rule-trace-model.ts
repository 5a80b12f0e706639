// How the Rules view reads a rule's evaluations: a label, a tone and a glyph per outcome (the glyph
// so the timeline does not rely on colour alone), the one line that says why, and the counts.
// Pure, so the wording is tested without a browser.
import type { RuleTrace, RuleTraceOutcome, RuleTraceStep } from '../../data/types.ts';

export type Tone = 'ok' | 'bad' | 'warn' | 'skip' | 'info';

export interface OutcomeLook {
  label: string;
  tone: Tone;
  glyph: string;
}

// Keyed by string, with a fallback: an outcome or step kind a newer server adds still shows, by its name.
const OUTCOMES: Record<string, OutcomeLook> = {
  acted: { label: 'acted', tone: 'ok', glyph: '✓' },
  fired: { label: 'fired', tone: 'ok', glyph: '✓' },
  failed: { label: 'error', tone: 'bad', glyph: '✕' },
  unreachable: { label: 'HA unreachable', tone: 'bad', glyph: '!' },
  refused_sensitive: { label: 'needs confirmation', tone: 'warn', glyph: '?' },
  cooldown: { label: 'cooldown', tone: 'warn', glyph: '‖' },
  pending: { label: 'waiting', tone: 'info', glyph: '…' },
  cancelled: { label: 'cancelled', tone: 'skip', glyph: '↺' },
  condition_false: { label: 'condition false', tone: 'skip', glyph: '≠' },
  filtered: { label: 'filtered out', tone: 'skip', glyph: '–' },
  step: { label: 'agent step', tone: 'info', glyph: '•' },
};

/** The legend's order: what happened, then why nothing did. */
const OUTCOME_ORDER = Object.keys(OUTCOMES);

export function outcomeLook(outcome: RuleTraceOutcome): OutcomeLook {
  return OUTCOMES[outcome] ?? { label: outcome.replace(/_/g, ' '), tone: 'info', glyph: '•' };
}

const STEP_KINDS: Record<string, string> = {
  filter: 'filter',
  for: 'duration',
  cooldown: 'cooldown',
  ha: 'HA check',
  condition: 'condition',
  sensitive: 'confirmation',
  action: 'action',
  schedule: 'schedule',
  agent: 'agent',
};

export function stepKindLabel(kind: RuleTraceStep['kind']): string {
  return STEP_KINDS[kind] ?? kind;
}

/** Outcomes where the rule ran its actions: the reason is what the actions answered. */
const RAN: ReadonlySet<string> = new Set(['acted', 'fired', 'failed']);

function stepText(s: RuleTraceStep): string {
  return s.detail ? `${s.label}: ${s.detail}` : s.label;
}

/**
 * Why this evaluation ended as it did, in one line: the first step that said no (the filter clause
 * with its value, the condition with its state), or for a run, what the actions answered.
 */
export function traceReason(t: RuleTrace): string {
  const failing = t.steps.find((s) => !s.ok);
  if (RAN.has(t.outcome)) {
    const actions = t.steps.filter((s) => s.kind === 'action');
    const shown = t.outcome === 'failed' ? actions.filter((s) => !s.ok) : actions;
    if (shown.length) return shown.map(stepText).join('; ');
  }
  if (t.outcome === 'step') return t.steps.map(stepText).join('; ') || (t.message ?? '');
  if (failing) return stepText(failing);
  const last = t.steps.at(-1);
  return last ? stepText(last) : outcomeLook(t.outcome).label;
}

/** How many evaluations ended each way, in legend order, leaving out the outcomes that did not occur. */
export function outcomeCounts(traces: readonly RuleTrace[]): { outcome: RuleTraceOutcome; count: number }[] {
  const counts = new Map<RuleTraceOutcome, number>();
  for (const t of traces) counts.set(t.outcome, (counts.get(t.outcome) ?? 0) + 1);
  const rank = (o: string) => (OUTCOME_ORDER.includes(o) ? OUTCOME_ORDER.indexOf(o) : OUTCOME_ORDER.length);
  return [...counts].sort(([a], [b]) => rank(a) - rank(b)).map(([outcome, count]) => ({ outcome, count }));
}

/** A step's time within its evaluation, as the trace shows it ("+3 ms", "+1.2 s"). */
export function stepTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `+${Math.round(ms)} ms` : `+${(ms / 1000).toFixed(1)} s`;
}

/** An evaluation's duration ("4 ms", "1.2 s"). */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Time of day with seconds, for markers and the trace header; the date only when not today. */
export function traceTime(iso: string, now: number): string {
  const d = new Date(iso);
  const today = new Date(now).toDateString() === d.toDateString();
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return today ? time : `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}
