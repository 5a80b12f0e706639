// A pipeline plan for planner tests, from the spawn configs of its agents, through the planner's
// own parser (so a test plan is exactly what a model's answer would become).
import { parsePipelinePlan, type PipelinePlan } from '../../../../server/src/agents/planner/pipeline/pipeline-plan.ts';

export function planOf(spawnConfigs: Record<string, unknown>[], { pattern = 'ha_sensor_action', extra = {} }: { pattern?: string; extra?: Record<string, unknown> } = {}): PipelinePlan {
  const parsed = parsePipelinePlan(JSON.stringify({ pattern, title: 't', summary: 's', agents: spawnConfigs.map((a) => ({ description: '', spawn_config: a })), ...extra }));
  if (parsed.kind !== 'plan') throw new Error(`test plan does not parse: ${JSON.stringify(parsed)}`);
  return parsed.plan;
}

/** A rule's `notify.chat_channel` action to `target` (a chat or `webhook:<name>`). */
export function chatChannelAction(target: string) {
  return { domain: 'notify', service: 'chat_channel', service_data: { target, title: 'Home', message: 'Front door opened' } };
}

/** "When the front door opens, <action>": one ha_actuator named `name`. */
export function doorNotifyPlan(action: Record<string, unknown>, name = 'door-notify-actuator'): PipelinePlan {
  const spawn = { type: 'ha_actuator', name, mqtt_topics: ['ha/state_changes/binary_sensor/binary_sensor.front_door'], detection_filter: { 'new_state.state': 'on' }, actions: [action] };
  return planOf([spawn], { pattern: 'ha_sensor_notification' });
}
