// StreamWindow: a sliding window over one topic's messages, so agents reason over time ("rising",
// "quiet for 60 s") without writing ring buffers. Fed by whoever already receives the messages
// (the shared connection, the sandbox's subscription): a window never opens an MQTT connection.
//
// Semantics, exactly:
// - Window: a sample stays while `now - at <= seconds * 1000` (a sample exactly `seconds` old is
//   still in) and while it is among the newest `maxSamples`. Expiry is evaluated on every read
//   against the injected clock, so advancing the clock alone empties the window.
// - Numeric value of a sample: with a field, the value at that dotted path; without one, the
//   payload itself when it is a number, else its `value` field, else its `state` field. Finite
//   numbers count, and so do numeric strings ("21.5", as HA states are); booleans, null, NaN,
//   "unavailable" do not. `values`, `mean`, `min`, `max`, `change`, `rising`, `falling` and
//   `stable` look only at samples with a numeric value.
// - change = newest numeric value - oldest numeric value in the window (null with fewer than 2).
// - rising(threshold = 0): change > 0 and change >= threshold. A net rise across the window, not
//   a monotonic one: a noisy series that ends higher than it started by `threshold` is rising.
// - falling(threshold = 0): -change > 0 and -change >= threshold.
// - stable(tolerance = 0): at least 2 numeric values and max - min <= tolerance.
// - absentFor(seconds): no sample has arrived for at least `seconds` (counting from the window's
//   creation when none ever arrived). It survives expiry: it looks at the last arrival, not the
//   window's content.
// - eventCount(predicate) counts samples whose payload satisfies it; eventCount(field, value)
//   those whose field equals value (a string and a number or boolean with the same text are
//   equal: HA states are strings); eventCount(field) those whose field is truthy;
//   eventCount({path: value, ...}) those matching every pair.
// The empty-window and just-created behaviour is also stated in the SDK reference the model reads
// (sandbox/sdk/window.ts `doc`): change one, change the other.
// Results are plain numbers, booleans or null (never NaN), so they cross an isolate boundary
// as JSON. Snake-case aliases (absent_for, event_count) match the original's agent API.
import type { Clock } from '../core/clock.ts';
import { getPath, isPlainObject } from './topic-bus/dotted-path.ts';
import { looseEquals, toNumber } from './topic-bus/values.ts';

export interface StreamWindowOptions {
  clock: Clock;
  /** Keep samples at most this many seconds old. */
  seconds?: number;
  /** Keep at most this many samples (newest win). */
  maxSamples?: number;
  /** Default field for numeric reads when a method is called without one. */
  field?: string;
}

export interface Sample {
  at: number;
  payload: unknown;
}

export interface WindowStats {
  count: number;
  numeric: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  change: number | null;
  latest: unknown;
  oldest_at: number | null;
  newest_at: number | null;
}

export type EventMatcher = ((payload: unknown) => boolean) | Record<string, unknown> | string;

/** A memory guard for windows bounded by time only. */
const DEFAULT_MAX_SAMPLES = 10_000;

export class StreamWindow {
  readonly #clock: Clock;
  readonly #spanMs: number | undefined;
  readonly #maxSamples: number;
  readonly #field: string | undefined;
  readonly #createdAt: number;
  #samples: Sample[] = [];
  #lastArrival: number | undefined;

  constructor(options: StreamWindowOptions) {
    const { seconds, maxSamples } = options;
    if (seconds === undefined && maxSamples === undefined) throw new RangeError('a window needs seconds and/or maxSamples');
    if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) throw new RangeError(`seconds must be > 0, got ${seconds}`);
    if (maxSamples !== undefined && !(Number.isInteger(maxSamples) && maxSamples > 0)) {
      throw new RangeError(`maxSamples must be a positive integer, got ${maxSamples}`);
    }
    this.#clock = options.clock;
    this.#spanMs = seconds === undefined ? undefined : seconds * 1000;
    this.#maxSamples = maxSamples ?? DEFAULT_MAX_SAMPLES;
    this.#field = options.field;
    this.#createdAt = options.clock.now();
  }

  /** Adds a message; `at` (clock ms) defaults to now. Late samples are placed in time order. */
  push(payload: unknown, at: number = this.#clock.now()): void {
    this.#lastArrival = Math.max(this.#lastArrival ?? at, at);
    let i = this.#samples.length;
    while (i > 0 && (this.#samples[i - 1]).at > at) i--;
    this.#samples.splice(i, 0, { at, payload });
    this.#expire();
  }

  count(): number {
    return this.#live().length;
  }

  /** Raw payloads in the window, oldest first. */
  payloads(): unknown[] {
    return this.#live().map((s) => s.payload);
  }

  /** Numeric values in the window, oldest first (non-numeric samples skipped). */
  values(field?: string): number[] {
    const path = field ?? this.#field;
    const out: number[] = [];
    for (const s of this.#live()) {
      const n = numericValue(s.payload, path);
      if (n !== undefined) out.push(n);
    }
    return out;
  }

  mean(field?: string): number | null {
    const v = this.values(field);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  }

  min(field?: string): number | null {
    const v = this.values(field);
    return v.length ? Math.min(...v) : null;
  }

  max(field?: string): number | null {
    const v = this.values(field);
    return v.length ? Math.max(...v) : null;
  }

  change(field?: string): number | null {
    const v = this.values(field);
    return v.length >= 2 ? (v[v.length - 1]) - (v[0]) : null;
  }

  rising(threshold = 0, field?: string): boolean {
    const min = nonNegative(threshold, 'threshold');
    const delta = this.change(field);
    return delta !== null && delta > 0 && delta >= min;
  }

  falling(threshold = 0, field?: string): boolean {
    const min = nonNegative(threshold, 'threshold');
    const delta = this.change(field);
    return delta !== null && -delta > 0 && -delta >= min;
  }

  stable(tolerance = 0, field?: string): boolean {
    const max = nonNegative(tolerance, 'tolerance');
    const v = this.values(field);
    return v.length >= 2 && Math.max(...v) - Math.min(...v) <= max;
  }

  absentFor(seconds: number): boolean {
    const since = this.#lastArrival ?? this.#createdAt;
    return this.#clock.now() - since >= nonNegative(seconds, 'seconds') * 1000;
  }

  /** `value` is a rest parameter so that eventCount('state', undefined) differs from eventCount('state'). */
  eventCount(match: EventMatcher, ...value: [] | [unknown]): number {
    const test = matcher(match, value);
    return this.#live().filter((s) => test(s.payload)).length;
  }

  /** The newest payload (or its field), null when the window is empty. */
  latest(field?: string): unknown {
    const last = this.#live().at(-1);
    if (!last) return null;
    return field === undefined ? last.payload : (getPath(last.payload, field) ?? null);
  }

  stats(field?: string): WindowStats {
    const live = this.#live();
    const v = this.values(field);
    return {
      count: live.length,
      numeric: v.length,
      mean: this.mean(field),
      min: this.min(field),
      max: this.max(field),
      change: this.change(field),
      latest: this.latest(),
      oldest_at: live[0]?.at ?? null,
      newest_at: live.at(-1)?.at ?? null,
    };
  }

  clear(): void {
    this.#samples = [];
  }

  absent_for(seconds: number): boolean {
    return this.absentFor(seconds);
  }

  event_count(match: EventMatcher, ...value: [] | [unknown]): number {
    return this.eventCount(match, ...value);
  }

  #live(): Sample[] {
    this.#expire();
    return this.#samples;
  }

  #expire(): void {
    if (this.#spanMs !== undefined) {
      const cutoff = this.#clock.now() - this.#spanMs;
      let drop = 0;
      while (drop < this.#samples.length && (this.#samples[drop]).at < cutoff) drop++;
      if (drop) this.#samples.splice(0, drop);
    }
    if (this.#samples.length > this.#maxSamples) this.#samples.splice(0, this.#samples.length - this.#maxSamples);
  }
}

/** The numeric reading of a payload (see the header); undefined when there is none. */
export function numericValue(payload: unknown, field?: string): number | undefined {
  if (field !== undefined) return toNumber(getPath(payload, field));
  const direct = toNumber(payload);
  if (direct !== undefined) return direct;
  if (isPlainObject(payload)) return toNumber(payload.value) ?? toNumber(payload.state);
  return undefined;
}

function nonNegative(n: number, name: string): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new RangeError(`${name} must be a number >= 0, got ${String(n)}`);
  return n;
}

function matcher(match: EventMatcher, value: [] | [unknown]): (payload: unknown) => boolean {
  if (typeof match === 'function') return (p) => match(p) === true;
  if (typeof match === 'string') {
    return value.length ? (p) => looseEquals(getPath(p, match), value[0]) : (p) => Boolean(getPath(p, match));
  }
  if (isPlainObject(match)) {
    const pairs = Object.entries(match);
    return (p) => pairs.every(([path, expected]) => looseEquals(getPath(p, path), expected));
  }
  throw new TypeError('eventCount expects a predicate, a field name (and value) or an object of field: value');
}
