// detection_filter: which payloads make an ha_actuator act. Each key is a dotted path into the
// payload ("triggered", "new_state.state"); each value a literal (equality) or an operator
// object such as {"gte": 0.7} or {"gt": 20, "lt": 30}. All entries must hold (AND). No filter, or
// an empty one, matches every payload (the scheduled-trigger pattern).
import { z } from 'zod';
import { getPath, isPlainObject } from '../../bus/topic-bus/dotted-path.ts';
import { looseEquals, toNumber } from '../../bus/topic-bus/values.ts';
import { normalizeOperator, OPERATORS } from './ha-action.ts';

const Literal = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const OperatorCondition = z
  .object({
    eq: Literal.optional(),
    ne: Literal.optional(),
    gt: z.number().optional(),
    lt: z.number().optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, { error: `an operator object needs one of ${OPERATORS.join(', ')}` });

export const DetectionFilter = z.record(z.string().min(1), z.union([Literal, OperatorCondition])).nullable();
export type DetectionFilter = z.infer<typeof DetectionFilter>;

/** {">=": "0.7"} -> {gte: 0.7}: symbol operators renamed, numeric strings read as numbers for comparisons. */
export function normalizeDetectionFilter(raw: unknown): unknown {
  if (!isPlainObject(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [path, cond] of Object.entries(raw)) {
    if (!isPlainObject(cond)) {
      out[path] = cond;
      continue;
    }
    const ops: Record<string, unknown> = {};
    for (const [op, value] of Object.entries(cond)) {
      const name = normalizeOperator(op) as string;
      const ordered = name === 'gt' || name === 'lt' || name === 'gte' || name === 'lte';
      ops[name] = ordered ? (toNumber(value) ?? value) : value;
    }
    out[path] = ops;
  }
  return out;
}

export function matchesDetectionFilter(filter: DetectionFilter | undefined, payload: unknown): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, cond]) => {
    const actual = getPath(payload, path);
    if (cond === null || typeof cond !== 'object') return looseEquals(actual, cond);
    const n = toNumber(actual);
    if (cond.eq !== undefined && !looseEquals(actual, cond.eq)) return false;
    if (cond.ne !== undefined && looseEquals(actual, cond.ne)) return false;
    if (cond.gt !== undefined && !(n !== undefined && n > cond.gt)) return false;
    if (cond.lt !== undefined && !(n !== undefined && n < cond.lt)) return false;
    if (cond.gte !== undefined && !(n !== undefined && n >= cond.gte)) return false;
    if (cond.lte !== undefined && !(n !== undefined && n <= cond.lte)) return false;
    return true;
  });
}
