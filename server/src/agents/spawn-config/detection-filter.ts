// detection_filter: which payloads make an ha_actuator act. Each key is a dotted path into the
// payload ("triggered", "new_state.state"); each value a literal (equality) or an operator
// object such as {"gte": 0.7} or {"gt": 20, "lt": 30}. All entries must hold (AND). No filter, or
// an empty one, matches every payload (the scheduled-trigger pattern). Matching lives with the
// actuator (agents/ha/filter.ts): literals compare with strict types there.
import { z } from 'zod';
import { isPlainObject } from '../../bus/topic-bus/dotted-path.ts';
import { toNumber } from '../../bus/topic-bus/values.ts';
import { normalizeOperator, OPERATORS } from '../../ha/action.ts';

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
