// Spending caps per day, week and month. Caps come from the configuration and can be changed at
// runtime (the change is persisted and outlives restarts; `resetCaps` returns to the
// configuration). Spending is read from the ledger, so every call path counts. At 80% of a cap
// a warning event fires once per period; at the cap the service refuses or falls back.
// The ledger only knows finished calls, so calls in flight hold a reservation of what they may
// cost (reservations.ts, estimate.ts): a call is admitted while spent + reserved + its own
// estimate fits under every cap, or, with nothing else in flight, while spent is under the cap
// (one call at a time behaves as before: a cap smaller than one call's worst case stays usable).
// Either way the spending ends at most one call's estimate past a cap, however many run at once.
import type { LlmConfig } from '../config/types.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/database.ts';
import type { LlmLedger } from './ledger.ts';
import { BUDGET_PERIODS, periodEnd, periodStart, type BudgetPeriod } from './periods.ts';
import { Reservations, type Reservation } from './reservations.ts';

/** USD per period; null means no cap. */
export type BudgetCaps = Record<BudgetPeriod, number | null>;

export interface PeriodStatus {
  period: BudgetPeriod;
  capUsd: number | null;
  spentUsd: number;
  /** Held by calls in flight (the same for every period: they are all happening now). */
  reservedUsd: number;
  /** spent / cap, when capped. */
  fraction: number | null;
  /** When this period's spending starts again from zero. */
  resetsAt: number;
  state: 'ok' | 'warning' | 'exceeded';
}

export interface BudgetStatus {
  periods: PeriodStatus[];
  /** The first capped period that is spent, if any. */
  exceeded: PeriodStatus | undefined;
  /** Calls in flight. */
  inFlight: number;
}

/** Why a call is not admitted: its period, and (when the period is not spent yet) what it may cost. */
export interface BudgetRefusal {
  period: PeriodStatus;
  /** `spent`: the cap is reached; `no_room`: calls in flight leave too little for this one. */
  reason: 'spent' | 'no_room';
  estimateUsd: number;
  message: string;
}

export interface BudgetEvent {
  type: 'warning' | 'exceeded';
  period: BudgetPeriod;
  spentUsd: number;
  capUsd: number;
  resetsAt: number;
}

export type BudgetListener = (event: BudgetEvent) => void;

export interface BudgetOptions {
  db: Db;
  ledger: LlmLedger;
  clock: Clock;
  config: LlmConfig['budget'];
  /** Fraction of a cap at which the warning fires (default 0.8). */
  warnAt?: number;
  onListenerError?: (err: unknown) => void;
}

const PERIOD_WORD: Record<BudgetPeriod, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

export class LlmBudget {
  readonly #options: BudgetOptions;
  readonly #listeners = new Set<BudgetListener>();
  readonly #reservations = new Reservations();
  /** `${type}:${period}:${periodStart}` of events already sent, so each fires once per period. */
  readonly #sent = new Set<string>();

  constructor(options: BudgetOptions) {
    this.#options = options;
  }

  caps(): BudgetCaps {
    const { config, db } = this.#options;
    const caps: BudgetCaps = { day: config.dailyUsd ?? null, week: config.weeklyUsd ?? null, month: config.monthlyUsd ?? null };
    const rows = db.prepare('SELECT period, cap_usd FROM llm_budget').all() as { period: BudgetPeriod; cap_usd: number | null }[];
    for (const row of rows) caps[row.period] = row.cap_usd;
    return caps;
  }

  /** Changes caps at runtime (null removes a cap); persisted. */
  setCaps(changes: Partial<BudgetCaps>): BudgetCaps {
    const now = this.#options.clock.now();
    const upsert = this.#options.db.prepare(
      'INSERT INTO llm_budget (period, cap_usd, updated_at) VALUES (?, ?, ?) ON CONFLICT (period) DO UPDATE SET cap_usd = excluded.cap_usd, updated_at = excluded.updated_at',
    );
    for (const period of BUDGET_PERIODS) {
      const cap = changes[period];
      if (cap === undefined) continue;
      if (cap !== null && (!Number.isFinite(cap) || cap < 0)) throw new RangeError(`A ${PERIOD_WORD[period]} cap must be 0 or more US dollars, or null for none.`);
      upsert.run(period, cap, now);
    }
    return this.caps();
  }

  /** Forgets runtime changes: the configuration's caps apply again. */
  resetCaps(): BudgetCaps {
    this.#options.db.prepare('DELETE FROM llm_budget').run();
    return this.caps();
  }

  status(): BudgetStatus {
    const now = this.#options.clock.now();
    const caps = this.caps();
    const warnAt = this.#options.warnAt ?? 0.8;
    const reserved = round(this.#reservations.usd);
    const periods = BUDGET_PERIODS.map((period): PeriodStatus => {
      const cap = caps[period];
      const spent = round(this.#options.ledger.spentSince(periodStart(period, now)));
      const fraction = cap === null ? null : cap === 0 ? (spent > 0 ? Infinity : 1) : spent / cap;
      const state = cap === null ? 'ok' : spent >= cap ? 'exceeded' : fraction! >= warnAt ? 'warning' : 'ok';
      return { period, capUsd: cap, spentUsd: spent, reservedUsd: reserved, fraction, resetsAt: periodEnd(period, now), state };
    });
    return { periods, exceeded: periods.find((p) => p.state === 'exceeded'), inFlight: this.#reservations.count };
  }

  /**
   * Whether a call that may cost `estimateUsd` fits now; undefined when it does. Pair it with
   * `reserve` in the same synchronous turn: an await between them would let another call in.
   */
  refusal(estimateUsd: number): BudgetRefusal | undefined {
    const status = this.status();
    const refuse = (period: PeriodStatus, reason: BudgetRefusal['reason']): BudgetRefusal => {
      const base = { period, reason, estimateUsd };
      return { ...base, message: reason === 'spent' ? refusalMessage(period) : noRoomMessage(base) };
    };
    if (status.exceeded) return refuse(status.exceeded, 'spent');
    // Free and unpriced calls hold nothing: alone with them, a call goes as it would alone.
    if (this.#reservations.usd === 0) return undefined;
    const full = status.periods.find((p) => p.capUsd !== null && p.spentUsd + p.reservedUsd + estimateUsd > p.capUsd);
    return full ? refuse(full, 'no_room') : undefined;
  }

  /** Holds `usd` for a call in flight until the returned reservation is released. */
  reserve(usd: number): Reservation {
    return this.#reservations.reserve(usd);
  }

  /** Sends warning/exceeded events for thresholds crossed (called after each recorded call). */
  check(): BudgetStatus {
    const status = this.status();
    const now = this.#options.clock.now();
    for (const p of status.periods) {
      if (p.state === 'ok' || p.capUsd === null) continue;
      // An exceeded period implies its warning: send both, once each.
      const types: BudgetEvent['type'][] = p.state === 'exceeded' ? ['warning', 'exceeded'] : ['warning'];
      for (const type of types) {
        const key = `${type}:${p.period}:${periodStart(p.period, now)}`;
        if (this.#sent.has(key)) continue;
        this.#sent.add(key);
        this.#emit({ type, period: p.period, spentUsd: p.spentUsd, capUsd: p.capUsd, resetsAt: p.resetsAt });
      }
    }
    return status;
  }

  onEvent(listener: BudgetListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  #emit(event: BudgetEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.#options.onListenerError?.(err);
      }
    }
  }
}

/** What a refused caller (and through it the user) reads. */
export function refusalMessage(p: PeriodStatus): string {
  const resets = new Date(p.resetsAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    `The ${PERIOD_WORD[p.period]} LLM budget is spent ($${p.spentUsd.toFixed(2)} of $${(p.capUsd ?? 0).toFixed(2)}). ` +
    `LLM calls resume on ${resets}; raise the cap in the settings, or set LLM_FALLBACK (e.g. ollama:llama3) to keep going on a local model.`
  );
}

/** The refusal when the cap is not reached yet but calls in flight may reach it. */
export function noRoomMessage(r: Pick<BudgetRefusal, 'period' | 'estimateUsd'>): string {
  const p = r.period;
  return (
    `The ${PERIOD_WORD[p.period]} LLM budget has no room for this call: $${usd(p.spentUsd)} of $${usd(p.capUsd ?? 0)} is spent and $${usd(p.reservedUsd)} is held by calls in progress; ` +
    `this call may cost up to $${usd(r.estimateUsd)}. Try again when they finish, raise the cap in the settings, or set LLM_FALLBACK (e.g. ollama:llama3) to keep going on a local model.`
  );
}

/** Cents for sums from a dime up; below that, the four decimals small caps and single calls need. */
function usd(x: number): string {
  if (x >= 0.1 || x === 0) return x.toFixed(2);
  const s = x.toFixed(4).replace(/0+$/, '');
  return (s.split('.')[1] ?? '').length < 2 ? x.toFixed(2) : s;
}

function round(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}
