// Tells the panel that a rule was evaluated (issue 16): a `rule.trace` per rule, at most one a
// second. A rule on a chatty topic is evaluated many times a second, and each event makes an open
// timeline refetch, so a burst is folded into one event now and one at the end of the window
// carrying the last outcome (trailing), so the newest state always reaches the panel. The event
// carries no message content: the panel reads the trace through the API, with the owner's access.
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { LiveEvent } from '../contract/live-events.ts';
import type { RuleTraceOutcome } from '../contract/rules.ts';

export const RULE_TRACE_WINDOW_MS = 1_000;

interface Window {
  timer: TimerHandle;
  /** The newest evaluation since the last event, sent when the window closes. */
  pending: { outcome: RuleTraceOutcome; at: number } | undefined;
}

export interface RuleTraceThrottleOptions {
  clock: Clock;
  publish: (event: Extract<LiveEvent, { type: 'rule.trace' }>) => unknown;
  windowMs?: number;
}

export class RuleTraceThrottle {
  readonly #clock: Clock;
  readonly #publish: RuleTraceThrottleOptions['publish'];
  readonly #windowMs: number;
  /** Only rules whose window is open: a quiet rule holds no timer and no entry. */
  readonly #open = new Map<string, Window>();

  constructor(options: RuleTraceThrottleOptions) {
    this.#clock = options.clock;
    this.#publish = options.publish;
    this.#windowMs = options.windowMs ?? RULE_TRACE_WINDOW_MS;
  }

  note(ruleId: string, outcome: RuleTraceOutcome, at: number): void {
    const open = this.#open.get(ruleId);
    if (open) {
      open.pending = { outcome, at };
      return;
    }
    this.#send(ruleId, outcome, at);
    this.#openWindow(ruleId);
  }

  stop(): void {
    for (const w of this.#open.values()) w.timer.cancel();
    this.#open.clear();
  }

  #openWindow(ruleId: string): void {
    const w: Window = { pending: undefined, timer: this.#clock.setTimeout(() => this.#close(ruleId, w), this.#windowMs) };
    this.#open.set(ruleId, w);
  }

  #close(ruleId: string, w: Window): void {
    if (this.#open.get(ruleId) !== w) return;
    this.#open.delete(ruleId);
    if (!w.pending) return;
    this.#send(ruleId, w.pending.outcome, w.pending.at);
    // What was just sent starts a window of its own, so two events are never closer than windowMs.
    this.#openWindow(ruleId);
  }

  #send(ruleId: string, outcome: RuleTraceOutcome, at: number): void {
    this.#publish({ type: 'rule.trace', rule_id: ruleId, outcome, at: new Date(at).toISOString() });
  }
}

export interface RuleTraceSource {
  onRecord(listener: (ruleId: string, trace: { outcome: RuleTraceOutcome; at: number }) => void): () => void;
}

/** Wires the recorder to the hub; the returned function stops both the listener and the timers. */
export function startRuleTraceLive(deps: { traces: RuleTraceSource; clock: Clock; publish: (event: LiveEvent) => unknown; windowMs?: number }): () => void {
  const throttle = new RuleTraceThrottle({ clock: deps.clock, publish: deps.publish, ...(deps.windowMs !== undefined ? { windowMs: deps.windowMs } : {}) });
  const off = deps.traces.onRecord((ruleId, trace) => throttle.note(ruleId, trace.outcome, trace.at));
  return () => {
    off();
    throttle.stop();
  };
}
