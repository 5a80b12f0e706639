// What an HA rule agent (ha_actuator, scheduled) writes while it evaluates, for "why didn't it
// fire?". The agent builds one record per evaluation and hands it to a TraceSink (the planner's
// recorder); without a sink, or for an agent that belongs to no rule, nothing is built at all, so
// tracing costs nothing where nobody will ever ask.
import type { Clock } from '../../core/clock.ts';
import type { RuleTraceOutcome, RuleTraceStep } from '../../contract/rules.ts';

/** Longest incoming message kept in a trace: enough to see the state, not a camera frame. */
export const TRACE_MESSAGE_CHARS = 500;

export interface TraceRecord {
  agent: string;
  kind: 'trigger' | 'schedule' | 'agent';
  at: number;
  durationMs: number;
  topic: string | null;
  message: string | null;
  outcome: RuleTraceOutcome;
  steps: RuleTraceStep[];
}

export interface TraceSink {
  /** Whether this agent's evaluations are kept (it belongs to a rule). Asked per evaluation. */
  wants(agent: string): boolean;
  record(trace: TraceRecord): void;
  /** The rule the agent belongs to: its LLM calls are ledgered to it (cost per rule). */
  ruleOf?(agent: string): string | undefined;
}

export function trimmed(value: unknown, max = TRACE_MESSAGE_CHARS): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more)` : text;
}

/**
 * The incoming message as a trace keeps it. A state-bridge change becomes `light.x: "off" -> "on"`
 * (the whole entity twice is noise; the filter steps carry every value a clause read); anything
 * else is its JSON, trimmed.
 */
export function traceMessage(payload: unknown): string {
  if (typeof payload === 'object' && payload !== null) {
    const p = payload as { entity_id?: unknown; new_state?: { state?: unknown } | null; old_state?: { state?: unknown } | null };
    if (typeof p.entity_id === 'string' && typeof p.new_state === 'object') {
      const from = p.old_state ? JSON.stringify(p.old_state.state) : '(none)';
      return trimmed(`${p.entity_id}: ${from} -> ${p.new_state ? JSON.stringify(p.new_state.state) : '(removed)'}`);
    }
  }
  return trimmed(payload);
}

export class TraceBuilder {
  readonly #clock: Clock;
  readonly #start: number;
  readonly #steps: RuleTraceStep[] = [];
  readonly #base: Pick<TraceRecord, 'agent' | 'kind' | 'topic' | 'message'>;

  constructor(clock: Clock, base: Pick<TraceRecord, 'agent' | 'kind' | 'topic' | 'message'>) {
    this.#clock = clock;
    this.#start = clock.now();
    this.#base = base;
  }

  step(kind: RuleTraceStep['kind'], label: string, ok: boolean, detail?: string): void {
    this.#steps.push({ kind, label, ok, ...(detail !== undefined ? { detail } : {}), ms: this.#clock.now() - this.#start });
  }

  done(sink: TraceSink, outcome: RuleTraceOutcome): void {
    sink.record({ ...this.#base, at: this.#start, durationMs: this.#clock.now() - this.#start, outcome, steps: this.#steps });
  }
}

/** HA's answer to one call, as a trace shows it. */
export function actionAnswer(o: { status: string; error?: string | undefined; code?: string | undefined }): string {
  if (o.status === 'ok') return 'HA answered ok';
  if (o.status === 'not_run') return `not run${o.error ? `: ${o.error}` : ''}`;
  return `HA error${o.code ? ` ${o.code}` : ''}: ${o.error ?? 'unknown'}`;
}
