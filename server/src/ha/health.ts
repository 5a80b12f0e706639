// What the Home Assistant client reports to GET /api/health.
import { z } from 'zod';
import { ConnectionState } from '../core/connection-state.ts';

export const HaHealth = z.object({
  mode: z.enum(['supervisor', 'direct', 'demo']),
  state: ConnectionState,
  version: z.string().optional(),
  error: z.string().optional(),
});
export type HaHealth = z.infer<typeof HaHealth>;
