// A remembered fact and where it came from, so the user can judge it before forgetting it.
import { z } from 'zod';
import { IsoTime } from './common.ts';

export const MemoryFact = z.object({
  key: z.string(),
  value: z.string(),
  /** "chat 2026-01-03", "agent energy-tracker", "user" ... */
  source: z.string(),
  /** How it was learnt: told by the user (/remember, the API) or picked up from a chat. Absent from older servers. */
  origin: z.enum(['user', 'chat']).optional(),
  /** What the fact is about: home_assistant, entity, preference, person, location, other. Absent from older servers. */
  category: z.string().optional(),
  created_at: IsoTime,
  updated_at: IsoTime,
});
export type MemoryFact = z.infer<typeof MemoryFact>;

/** DELETE /api/memory: every fact forgotten at once, and how many there were. */
export const MemoryClearResult = z.object({ ok: z.literal(true), forgotten: z.number().int().nonnegative() });
export type MemoryClearResult = z.infer<typeof MemoryClearResult>;
