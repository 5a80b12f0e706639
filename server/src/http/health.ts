// What GET /api/health reads: each part of the runtime contributes a status function, so the
// route never reaches into the internals of the broker or the HA connection.
import type { BrokerHealth } from '../bus/health.ts';
import type { HaHealth } from '../ha/health.ts';
import type { ChannelsHealth } from '../interfaces/channels/health.ts';

export interface HealthSources {
  broker(): BrokerHealth;
  ha(): HaHealth;
  llm(): { provider: string; model?: string };
  /** The chat channels that are on; absent when none is. */
  channels?(): ChannelsHealth;
}
