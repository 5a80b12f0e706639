// What the broker connection reports to GET /api/health.
import { z } from 'zod';
import { ConnectionState } from '../core/connection-state.ts';

export const BrokerHealth = z.object({
  mode: z.enum(['embedded', 'external', 'supervisor']),
  state: ConnectionState,
  url: z.string().optional(),
  error: z.string().optional(),
});
export type BrokerHealth = z.infer<typeof BrokerHealth>;
