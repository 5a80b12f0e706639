// The benchmark harness. Each bench/<area>.bench.ts default-exports a function returning results;
// every figure that has a goal is measured against a baseline in the same run on the same
// machine, so the comparison holds whatever the machine.
export interface BenchResult {
  /** What was measured, e.g. "tell throughput (mailbox)". */
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline (bare library, bare queue...), measured in this run. */
  baseline?: { name: string; value: number };
  /** The goal as text, e.g. ">= 1e6 msg/s and within 3x of baseline". */
  goal?: string;
  /** Whether the goal was met, when one is set. */
  met?: boolean;
}

export type Bench = () => Promise<BenchResult[]>;

/** Percentile of a sorted-or-not sample (nearest-rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** High-resolution time in microseconds. */
export function nowUs(): number {
  return Number(process.hrtime.bigint()) / 1000;
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (Math.abs(v) >= 100) return v.toFixed(0);
  return v.toFixed(2);
}
