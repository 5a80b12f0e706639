// GET /api/health: the broker's and Home Assistant's own reports (they live with the parts that
// make them), the LLM provider, the chat channels, and whether the whole is ok.
import { z } from 'zod';
import { BrokerHealth } from '../bus/health.ts';
import { HaHealth } from '../ha/health.ts';
import { ChannelsHealth } from '../interfaces/channels/health.ts';

export const HealthReport = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_s: z.number(),
  started_at: z.string(),
  node: z.string(),
  broker: BrokerHealth,
  ha: HaHealth,
  llm: z.object({ provider: z.string(), model: z.string().optional() }),
  /** Telegram, Discord, WhatsApp: only the ones that are set up. A failed channel is reported here and does not degrade the whole. */
  channels: ChannelsHealth,
});
export type HealthReport = z.infer<typeof HealthReport>;
