// The compact summary of a rule's traces: what arrived, which clause or condition stopped it,
// what ran and Home Assistant's answer. Pure text from the traces alone, so the same words answer
// `/rules trace` without an LLM and can be handed to the model for "why didn't it fire at 10:42?".
import type { RuleTraceStep } from '../../../contract/rules.ts';
import { formatTime } from '../rules/rule-format.ts';
import type { StoredTrace } from './trace-store.ts';

const VERDICT: Record<StoredTrace['outcome'], string> = {
  acted: 'acted',
  failed: 'acted, and an action failed',
  filtered: 'filtered out',
  cooldown: 'held by the cooldown',
  unreachable: 'not acted: Home Assistant unreachable',
  condition_false: 'condition false',
  refused_sensitive: 'refused: sensitive action not confirmed',
  fired: 'fired',
  step: 'agent step',
  pending: 'matched: waiting for its duration',
  cancelled: 'cancelled: the state changed before the duration ran out',
};

function secondsOf(ms: number, timezone?: string): string {
  const s = new Intl.DateTimeFormat('en-GB', { second: '2-digit', ...(timezone ? { timeZone: timezone } : {}) }).format(new Date(ms));
  return `${formatTime(ms, timezone)}:${s.padStart(2, '0')}`;
}

function stepLine(s: RuleTraceStep): string {
  return `${s.ok ? '✓' : '✗'} ${s.kind} ${s.label}${s.detail ? `: ${s.detail}` : ''}`;
}

/** Why it stopped, in one phrase: the first step that did not hold. */
export function stoppedBy(t: StoredTrace): string | undefined {
  const failed = t.steps.find((s) => !s.ok);
  if (!failed || t.outcome === 'acted' || t.outcome === 'step') return undefined;
  return `${failed.kind} ${failed.label}${failed.detail ? ` (${failed.detail})` : ''}`;
}

/** One evaluation: a header line and, indented, its steps. */
export function summarizeTrace(t: StoredTrace, timezone?: string): string {
  const head = `${secondsOf(t.at, timezone)} ${t.agent} [${t.kind}] ${VERDICT[t.outcome]} (${t.durationMs} ms)`;
  const lines = [head];
  if (t.topic || t.message) lines.push(`    arrived${t.topic ? ` on ${t.topic}` : ''}${t.message ? `: ${t.message}` : ''}`);
  const stop = stoppedBy(t);
  if (stop) lines.push(`    stopped by ${stop}`);
  for (const s of t.steps) lines.push(`    ${stepLine(s)}`);
  return lines.join('\n');
}

export interface TraceSummaryInput {
  rule: { id: string; title: string };
  /** Newest first, as the recorder lists them. */
  traces: readonly StoredTrace[];
  /** The window asked about; absent: the latest evaluations. */
  window?: { from: number; to: number };
  timezone?: string;
  /** When nothing was evaluated: the topics the rule listens to, and what the state bridge saw. */
  topics?: readonly string[];
  bridge?: readonly string[];
}

/** The compact summary handed to a person (`/rules trace`) or a model. */
export function buildTraceSummary(input: TraceSummaryInput): string {
  const { rule, traces, window, timezone } = input;
  const span = window ? ` between ${formatTime(window.from, timezone)} and ${formatTime(window.to, timezone)}` : '';
  if (traces.length === 0) {
    const lines = [`Rule ${rule.id} (${rule.title}): no evaluation${span}: nothing arrived on its trigger topics${input.topics?.length ? ` (${input.topics.join(', ')})` : ''}.`];
    if (input.bridge?.length) lines.push('What the state bridge saw:', ...input.bridge.map((b) => `  ${b}`));
    return lines.join('\n');
  }
  const acted = traces.filter((t) => t.outcome === 'acted' || t.outcome === 'failed').length;
  const evaluations = traces.filter((t) => t.kind !== 'agent').length;
  const head = `Rule ${rule.id} (${rule.title}): ${evaluations} evaluation${evaluations === 1 ? '' : 's'}${span}, ${acted} acted${traces.length > evaluations ? `, ${traces.length - evaluations} agent step${traces.length - evaluations === 1 ? '' : 's'}` : ''} (newest first):`;
  return [head, ...traces.map((t) => summarizeTrace(t, timezone))].join('\n');
}
