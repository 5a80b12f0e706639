// Route schemas are written once in zod and handed to Fastify as JSON Schema, so the same
// definition validates requests, serialises responses and types the panel.
import { z } from 'zod';

export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' });
}
