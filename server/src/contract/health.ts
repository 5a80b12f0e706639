// GET /api/health: the broker's and Home Assistant's own reports (they live with the parts that
// make them), the LLM provider, and whether the whole is ok.
import { z } from 'zod';
import { BrokerHealth } from '../bus/health.ts';
import { HaHealth } from '../ha/health.ts';

export const HealthReport = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_s: z.number(),
  started_at: z.string(),
  node: z.string(),
  broker: BrokerHealth,
  ha: HaHealth,
  llm: z.object({ provider: z.string(), model: z.string().optional() }),
});
export type HealthReport = z.infer<typeof HealthReport>;
