// Observed samples: the field names and types a topic *really* carries, captured from real
// publishes. The commonest wiring failure between LLM-written agents is vocabulary mismatch
// (producer sends {temp}, consumer reads payload.temperature); showing the planner the observed
// fields beats trusting either agent's declaration.
import { z } from 'zod';
import { isPlainObject } from './dotted-path.ts';

/** JavaScript-level kinds, as agent code (JavaScript) sees them after JSON decoding. */
export type ValueKind = 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object' | 'binary';

export const ObservedSample = z.object({
  /** Kind of the whole payload. */
  type: z.string(),
  /** Dotted path -> kind; a field seen with several kinds reads "number|string". */
  fields: z.record(z.string(), z.string()),
  /** The latest payload, trimmed (long strings, long arrays and deep nesting are cut). */
  example: z.unknown(),
  count: z.number().int().nonnegative(),
  first_seen: z.number(),
  last_seen: z.number(),
});
export type ObservedSample = z.infer<typeof ObservedSample>;

const MAX_DEPTH = 5;
const MAX_FIELDS = 64;
const MAX_STRING = 200;
const MAX_ARRAY = 10;

export function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return 'binary';
  const t = typeof value;
  if (t === 'number' || t === 'bigint') return 'number';
  if (t === 'string' || t === 'boolean' || t === 'object') return t;
  return 'null';
}

/** Field paths of a payload: nested plain objects become dotted paths; arrays stay one field. */
export function describeFields(payload: unknown): Record<string, ValueKind> {
  const fields: Record<string, ValueKind> = {};
  const walk = (value: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [key, child] of Object.entries(value)) {
      if (Object.keys(fields).length >= MAX_FIELDS) return;
      const path = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(child) && Object.keys(child).length > 0 && depth < MAX_DEPTH) walk(child, path, depth + 1);
      else fields[path] = kindOf(child);
    }
  };
  if (isPlainObject(payload)) walk(payload, '', 1);
  return fields;
}

/** A copy small enough for a prompt or a retained manifest. */
export function trimExample(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value instanceof Uint8Array) return `<binary ${value.byteLength} bytes>`;
  if (value instanceof ArrayBuffer) return `<binary ${value.byteLength} bytes>`;
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value ?? null;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const head = value.slice(0, MAX_ARRAY).map((v) => trimExample(v, depth + 1));
    return value.length > MAX_ARRAY ? [...head, `…${value.length - MAX_ARRAY} more`] : head;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, MAX_FIELDS)) out[k] = trimExample(v, depth + 1);
  return out;
}

function mergeKinds(previous: string | undefined, next: string): string {
  if (previous === undefined || previous === next) return next;
  return [...new Set([...previous.split('|'), next])].sort().join('|');
}

/**
 * Folds one real publish into the sample for its topic. Fields accumulate across publishes (so
 * optional fields show up), the example is always the latest payload.
 */
export function updateObserved(previous: ObservedSample | undefined, payload: unknown, at: number): ObservedSample {
  const fields: Record<string, string> = { ...previous?.fields };
  for (const [path, kind] of Object.entries(describeFields(payload))) {
    if (path in fields || Object.keys(fields).length < MAX_FIELDS) fields[path] = mergeKinds(fields[path], kind);
  }
  return {
    type: mergeKinds(previous?.type, kindOf(payload)),
    fields,
    example: trimExample(payload),
    count: (previous?.count ?? 0) + 1,
    first_seen: previous?.first_seen ?? at,
    last_seen: at,
  };
}

/** `{temp: number, humidity: number}` — the compact form used in prompts and the /bus report. */
export function formatFields(fields: Record<string, string>): string {
  const entries = Object.entries(fields);
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
}
