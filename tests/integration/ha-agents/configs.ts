// Spawn configs as the planner writes them, brought to their canonical form by the spawn schemas.
import type { HaActuatorConfig } from '../../../server/src/agents/ha/actuator/actuator-agent.ts';
import type { ScheduledConfig } from '../../../server/src/agents/ha/scheduled/scheduled-agent.ts';
import { validateSpawnConfig } from '../../../server/src/agents/spawn-config/validate.ts';

export function actuatorConfig(input: Record<string, unknown>): HaActuatorConfig {
  const r = validateSpawnConfig({ type: 'ha_actuator', name: 'door-light', ...input });
  if (!r.ok) throw new Error(r.error);
  if (r.config.type !== 'ha_actuator') throw new Error('not an ha_actuator');
  return r.config;
}

export function scheduledConfig(input: Record<string, unknown>): ScheduledConfig {
  const r = validateSpawnConfig({ type: 'scheduled', name: 'lights-off', ...input });
  if (!r.ok) throw new Error(r.error);
  if (r.config.type !== 'scheduled') throw new Error('not a scheduled agent');
  return r.config;
}
