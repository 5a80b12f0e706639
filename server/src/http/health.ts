// What GET /api/health reports. Each part of the runtime contributes a status function, so the
// route never reaches into the internals of the broker or the HA connection.
import { z } from 'zod';

export const ConnectionState = z.enum(['connecting', 'connected', 'disconnected', 'failed', 'disabled']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const BrokerHealth = z.object({
  mode: z.enum(['embedded', 'external', 'supervisor']),
  state: ConnectionState,
  url: z.string().optional(),
  error: z.string().optional(),
});
export type BrokerHealth = z.infer<typeof BrokerHealth>;

export const HaHealth = z.object({
  mode: z.enum(['supervisor', 'direct', 'demo']),
  state: ConnectionState,
  version: z.string().optional(),
  error: z.string().optional(),
});
export type HaHealth = z.infer<typeof HaHealth>;

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

export interface HealthSources {
  broker(): BrokerHealth;
  ha(): HaHealth;
  llm(): { provider: string; model?: string };
}
