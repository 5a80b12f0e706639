// A pipeline plan for planner tests, from the spawn configs of its agents, through the planner's
// own parser (so a test plan is exactly what a model's answer would become).
import { parsePipelinePlan, type PipelinePlan } from '../../../../server/src/agents/planner/pipeline/pipeline-plan.ts';

export function planOf(spawnConfigs: Record<string, unknown>[], { pattern = 'ha_sensor_action', extra = {} }: { pattern?: string; extra?: Record<string, unknown> } = {}): PipelinePlan {
  const parsed = parsePipelinePlan(JSON.stringify({ pattern, title: 't', summary: 's', agents: spawnConfigs.map((a) => ({ description: '', spawn_config: a })), ...extra }));
  if (parsed.kind !== 'plan') throw new Error(`test plan does not parse: ${JSON.stringify(parsed)}`);
  return parsed.plan;
}
