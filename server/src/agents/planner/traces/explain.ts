// "Why didn't the porch rule fire at 10:42?", "when did the garage rule last run?", "what did the
// hallway rule do today?" answered in chat from the traces: the rule the question names, the time
// it names (a clock time, today, or the latest evaluations), the compact summary of /rules trace
// (which says when nothing arrived and what the state bridge saw), and one model call that reads
// that summary and answers the question. Without a model, or when the call fails, the summary is
// the answer. Main reaches it through the `explain_rule` tool (one-call turns) or the classifier's
// RULES label; traces hold raw messages, so, like /rules trace, it is the owner's alone.
import type { Clock } from '../../../core/clock.ts';
import type { LlmService } from '../../../llm/index.ts';
import type { IntentAnswer, IntentContext } from '../../main/intents.ts';
import { isRestricted, ownerOnly } from '../../main/trust.ts';
import { findRuleRef } from '../rules/rule-ref.ts';
import type { Rule } from '../rules/rule.ts';
import type { StoredTrace, TraceQuery } from './trace-store.ts';
import { buildTraceSummary } from './summary.ts';

export const EXPLAIN_SYSTEM = `You answer a person's question about one of their home automation rules, from the rule's trace summary only.
The summary lists evaluations newest first: what arrived, each filter clause and condition with the value seen (✓ held, ✗ did not), the cooldown, and each action with Home Assistant's answer.
Answer in two to four plain sentences: whether the rule acted, when (local times as given), and if it did not, the exact clause or condition that stopped it and the value it saw.
If the summary says no evaluation happened, say that nothing reached the rule's trigger and report what the state bridge saw for the entity.
Never invent evaluations or times that are not in the summary.`;

export interface ExplainDeps {
  rules: {
    list(): readonly Rule[];
    find(ref: string): Pick<Rule, 'id' | 'title' | 'text'> | undefined;
    traces(id: string, query?: TraceQuery): StoredTrace[] | undefined;
    traceSummary(ref: string, time?: string): Promise<string | undefined>;
  };
  clock: Clock;
  llm?: LlmService | undefined;
  /** False while no provider is configured: the summary itself is the answer. */
  llmReady?: () => boolean;
  timezone?: () => string | undefined;
}

export interface ExplainArgs {
  /** The rule as the person or the model named it: an id, or a word of its title. */
  rule?: string | undefined;
  /** "10:42", "today", or a date-time; absent: read from the question, else the latest evaluations. */
  time?: string | undefined;
}

const STOP = new Set(['rule', 'rules', 'when', 'what', 'didn', 'fire', 'fired', 'with', 'that', 'this', 'from', 'then', 'turn', 'turns', 'light', 'today', 'last', 'does', 'have', 'about', 'after', 'before', 'the']);

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !STOP.has(w));
}

/** The one rule a question names: the model's reference, the rule named as an edit would name it, else the rule sharing the most words with it. */
export function findRule(deps: Pick<ExplainDeps, 'rules'>, question: string, ref?: string): Pick<Rule, 'id' | 'title' | 'text'> | undefined {
  if (ref?.trim()) {
    const found = deps.rules.find(ref.trim());
    if (found) return found;
  }
  const all = deps.rules.list();
  // "the porch rule", "rule 3fa2c1d0", a typo forgiven: as an edit names its rule (rule-ref.ts).
  const named = findRuleRef(question, all);
  if (named.kind === 'one') return named.rule;
  const asked = new Set(words(`${question} ${ref ?? ''}`));
  const scored = all.map((r) => ({ r, score: new Set(words(`${r.title} ${r.text}`).filter((w) => asked.has(w))).size })).filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
  if (scored.length === 0 || (scored.length > 1 && scored[1].score === scored[0].score)) return undefined;
  return scored[0].r;
}

/** The time a question names: a clock time ("10:42"), "today", or none. */
export function timeIn(question: string): string | undefined {
  const clock = /\b([01]?\d|2[0-3]):([0-5]\d)\b/.exec(question);
  if (clock) return `${clock[1]}:${clock[2]}`;
  return /\btoday\b/i.test(question) ? 'today' : undefined;
}

function dayStart(now: number, timezone: string | undefined): number {
  const hm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, ...(timezone ? { timeZone: timezone } : {}) }).format(new Date(now));
  const [h = 0, m = 0, s = 0] = hm.split(':').map(Number);
  return now - ((h % 24) * 3600 + m * 60 + s) * 1000 - (now % 1000);
}

/** The compact summary for a rule and a time (today: every evaluation since midnight in HA's zone). */
export async function summaryFor(deps: ExplainDeps, rule: Pick<Rule, 'id' | 'title'>, time: string | undefined): Promise<string | undefined> {
  if (time?.toLowerCase() === 'today') {
    const timezone = deps.timezone?.();
    const now = deps.clock.now();
    const window = { from: dayStart(now, timezone), to: now };
    const traces = deps.rules.traces(rule.id, window) ?? [];
    // Nothing today: the latest evaluations (or "nothing arrived" with what the bridge saw) say more than an empty day.
    if (traces.length > 0) return buildTraceSummary({ rule, traces, window, ...(timezone ? { timezone } : {}) });
    const latest = await deps.rules.traceSummary(rule.id);
    return latest && `No evaluation today. The latest:\n${latest}`;
  }
  return deps.rules.traceSummary(rule.id, time);
}

export interface Explanation extends IntentAnswer {
  /** What the model was given (absent when no rule was found). */
  summary?: string;
}

export async function explainRule(deps: ExplainDeps, question: string, ctx: IntentContext, args: ExplainArgs = {}): Promise<Explanation> {
  if (isRestricted(ctx.turn)) return { text: ownerOnly(ctx.turn, "Reading a rule's traces"), agent: 'planner' };
  const rule = findRule(deps, question, args.rule);
  if (!rule) {
    const list = deps.rules.list();
    if (list.length === 0) return { text: 'There are no rules yet, so there is nothing to explain.', agent: 'planner', fallthrough: args.rule === undefined };
    return {
      text: `Which rule? ${list.map((r) => `[${r.id}] ${r.title}`).join(', ')}.`,
      agent: 'planner',
      // The classifier route without a rule named: perhaps a question about HA's own automations.
      fallthrough: args.rule === undefined,
    };
  }
  const summary = await summaryFor(deps, rule, args.time?.trim() || timeIn(question));
  if (summary === undefined) return { text: `There is no rule ${rule.id}.`, agent: 'planner' };
  const ready = deps.llmReady?.() ?? deps.llm?.modelFor('conversation') !== undefined;
  if (!deps.llm || !ready) return { text: summary, agent: 'planner', summary };
  try {
    const r = await deps.llm.complete({
      callSite: 'conversation',
      agent: 'planner',
      system: EXPLAIN_SYSTEM,
      messages: [{ role: 'user', content: `Question: ${question}\n\nTrace summary of rule ${rule.id} (${rule.title}):\n${summary}` }],
      temperature: 0,
      signal: ctx.signal,
    });
    return { text: r.text.trim() || summary, agent: 'planner', summary };
  } catch {
    return { text: summary, agent: 'planner', summary };
  }
}
