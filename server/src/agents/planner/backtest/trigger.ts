// What starts a planned rule, in the terms a backtest can replay: an HA entity's state changes
// (filtered like the ha_actuator filters them, with its live conditions and cooldown) or a
// schedule. Triggers made of MQTT data or camera frames have no recorded history to replay.
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import type { DetectionFilter } from '../../spawn-config/detection-filter.ts';
import type { HaCondition } from '../../../ha/action.ts';
import type { Schedule } from '../../spawn-config/schedule.ts';
import { filtersOverlap } from '../../../bus/topic-bus/topic-filter.ts';
import type { TriggerSpec } from '../pipeline/pipeline-plan.ts';
import { entityOfStateTopic } from '../state-topics.ts';

export type BacktestTrigger =
  | { kind: 'state'; entityId: string; filter: DetectionFilter | undefined; conditions: HaCondition[]; cooldownSeconds: number; forSeconds?: number | undefined }
  | { kind: 'schedule'; schedule: Schedule; conditions: HaCondition[]; timezone: string | undefined };

export function triggerOf(configs: readonly SpawnConfig[], declared?: TriggerSpec): BacktestTrigger | undefined {
  const actuators = configs.filter((c) => c.type === 'ha_actuator');
  for (const a of actuators) {
    const entityId = a.mqtt_topics.map(entityOfStateTopic).find((e) => e !== undefined);
    if (entityId) return { kind: 'state', entityId, filter: a.detection_filter ?? undefined, conditions: a.conditions, cooldownSeconds: a.cooldown_seconds, forSeconds: a.for_seconds };
  }
  if (declared) {
    // The trigger lives in code; the actuator it feeds (if any) still adds its conditions and cooldown.
    const producers = configs.filter((c) => c.type === 'dynamic').flatMap((c) => c.publishes);
    const fed = actuators.find((a) => a.mqtt_topics.some((t) => producers.some((p) => filtersOverlap(p, t))));
    return { kind: 'state', entityId: declared.entity_id, filter: declared.filter ?? undefined, conditions: [...declared.conditions, ...(fed?.conditions ?? [])], cooldownSeconds: fed?.cooldown_seconds ?? 0 };
  }
  const scheduled = configs.find((c) => c.type === 'scheduled');
  if (scheduled) {
    const fed = actuators.find((a) => a.mqtt_topics.some((t) => filtersOverlap(scheduled.publish_topic, t)));
    const tz = 'timezone' in scheduled.schedule ? scheduled.schedule.timezone : undefined;
    return { kind: 'schedule', schedule: scheduled.schedule, conditions: fed?.conditions ?? [], timezone: tz };
  }
  return undefined;
}

export function describeTrigger(t: BacktestTrigger): string {
  switch (t.kind) {
    case 'state': {
      const f = t.filter && Object.keys(t.filter).length ? ` matching ${JSON.stringify(t.filter)}` : '';
      return `state changes of ${t.entityId}${f}${t.forSeconds !== undefined ? ` held for ${t.forSeconds} s` : ''}`;
    }
    case 'schedule':
      return `schedule ${JSON.stringify(t.schedule)}`;
  }
}
