// Route schemas are written once in zod and handed to Fastify as JSON Schema, so the same
// definition validates requests, serialises responses and types the panel.
import { z } from 'zod';

type Json = Record<string, unknown>;
const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * zod writes `.nullable()` as `anyOf: [{type: T, ...}, {type: 'null'}]`. Fastify's Ajv coerces
 * types and would turn a null into the first branch's type (null -> 0), so for primitives the
 * pair becomes `type: [T, 'null']`, which Ajv checks without coercing.
 */
function foldNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(foldNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = foldNullable(v);
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const [a, b] = anyOf as Json[];
    const isNull = (s: Json | undefined) => s?.type === 'null' && Object.keys(s).length === 1;
    const value = isNull(b) ? a : isNull(a) ? b : undefined;
    if (value && typeof value.type === 'string' && PRIMITIVES.has(value.type)) {
      delete out.anyOf;
      return { ...out, ...value, type: [value.type, 'null'] };
    }
  }
  return out;
}

export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return foldNullable(z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' })) as Record<string, unknown>;
}
