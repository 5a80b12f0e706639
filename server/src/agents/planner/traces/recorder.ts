// The TraceSink of rule agents: evaluations are buffered and written in one transaction every
// `flushMs` (or at `maxBuffered`), not one fsync per trigger, because tracing sits on the hot path
// of every rule (BENCHMARKS.md). stop() writes what is buffered, so a restart keeps everything; a
// kill -9 may lose at most the last `flushMs` of traces, never a rule or an action.
import type { Clock, TimerHandle } from '../../../core/clock.ts';
import type { TraceRecord, TraceSink } from '../../ha/trace.ts';
import type { StoredTrace, StoredTraceInput, TraceBounds, TraceQuery, TraceStore } from './trace-store.ts';

export const DEFAULT_TRACE_BOUNDS: TraceBounds = { maxPerRule: 200, maxAgeMs: 7 * 24 * 3_600_000 };

export interface RuleTraceRecorderOptions {
  store: TraceStore;
  clock: Clock;
  bounds?: TraceBounds;
  flushMs?: number;
  maxBuffered?: number;
}

export class RuleTraceRecorder implements TraceSink {
  readonly #o: Required<Omit<RuleTraceRecorderOptions, 'bounds'>> & { bounds: TraceBounds };
  #ruleOf: (agent: string) => string | undefined = () => undefined;
  #buffer: StoredTraceInput[] = [];
  #timer: TimerHandle | undefined;
  readonly #listeners = new Set<(ruleId: string, trace: TraceRecord) => void>();

  constructor(options: RuleTraceRecorderOptions) {
    this.#o = { flushMs: 1_000, maxBuffered: 500, bounds: DEFAULT_TRACE_BOUNDS, ...options };
  }

  get bounds(): TraceBounds {
    return this.#o.bounds;
  }

  /** The rules are built after the agents' factories; until then no agent belongs to a rule. */
  attachRules(ruleOf: (agent: string) => string | undefined): void {
    this.#ruleOf = ruleOf;
  }

  /**
   * Called for every evaluation recorded, as it is recorded (before the batch is written: a reader
   * of list() still sees it, because list() flushes first). A listener's error is swallowed: it
   * sits on the rule's hot path and must never break the evaluation.
   */
  onRecord(listener: (ruleId: string, trace: TraceRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  start(): void {
    this.#o.store.pruneAll(this.#o.clock.now(), this.#o.bounds.maxAgeMs);
  }

  stop(): void {
    this.flush();
  }

  wants(agent: string): boolean {
    return this.#ruleOf(agent) !== undefined;
  }

  ruleOf(agent: string): string | undefined {
    return this.#ruleOf(agent);
  }

  record(trace: TraceRecord): void {
    const ruleId = this.#ruleOf(trace.agent);
    if (ruleId === undefined) return;
    this.#buffer.push({ ...trace, ruleId });
    for (const listener of this.#listeners) {
      try {
        listener(ruleId, trace);
      } catch {
        // An observer's error never breaks the rule (AGENTS.md, failures are data).
      }
    }
    if (this.#buffer.length >= this.#o.maxBuffered) this.flush();
    else this.#timer ??= this.#o.clock.setTimeout(() => this.flush(), this.#o.flushMs);
  }

  flush(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    const batch = this.#buffer;
    if (batch.length === 0) return;
    this.#buffer = [];
    this.#o.store.write(batch, this.#o.bounds, this.#o.clock.now());
  }

  /** Newest first; what is still buffered is written first, so an answer never misses the last seconds. */
  list(ruleId: string, query?: TraceQuery): StoredTrace[] {
    this.flush();
    return this.#o.store.list(ruleId, query);
  }

  forget(ruleId: string): void {
    this.flush();
    this.#o.store.forget(ruleId);
  }
}
