// A remembered fact and where it came from, so the user can judge it before forgetting it.
import { z } from 'zod';
import { IsoTime } from './common.ts';

export const MemoryFact = z.object({
  key: z.string(),
  value: z.string(),
  /** "chat 2026-01-03", "agent energy-tracker", "user" ... */
  source: z.string(),
  created_at: IsoTime,
  updated_at: IsoTime,
});
export type MemoryFact = z.infer<typeof MemoryFact>;
