// The plan the LLM emits for a reactive rule: the canonical pattern it chose and the agents to
// spawn, each with a spawn config checked by the spawn protocol's own schemas (so a proposal can
// only hold what the spawner would accept). An optional declarative trigger describes, for code
// triggers, what HA state change starts the rule (for backtests and self-trigger checks).
import { z } from 'zod';
import type { SpawnConfig } from '../../spawn-config/config-schema.ts';
import { DetectionFilter } from '../../spawn-config/detection-filter.ts';
import { EntityId, HaCondition } from '../../../ha/action.ts';
import { validateSpawnConfig } from '../../spawn-config/validate.ts';
import { formatZodIssues, readLlmJson } from '../llm-json.ts';

export const PATTERNS = [
  'ha_sensor_action',
  'ha_sensor_notification',
  'camera_detection_action',
  'camera_detection_notification',
  'schedule_action',
  'mqtt_condition_action',
  'camera_snapshot',
] as const;
export type Pattern = (typeof PATTERNS)[number];

export const PATTERN_LABELS: Record<Pattern, string> = {
  ha_sensor_action: 'HA sensor → HA action',
  ha_sensor_notification: 'HA sensor → notification',
  camera_detection_action: 'camera detection → HA action',
  camera_detection_notification: 'camera detection → notification',
  schedule_action: 'schedule → action',
  mqtt_condition_action: 'MQTT sensors + condition → HA action',
  camera_snapshot: 'one-shot camera snapshot',
};

/** The HA state change that starts the rule: the entity, and a filter on the state-change payload. */
export const TriggerSpec = z.object({
  entity_id: EntityId,
  filter: DetectionFilter.optional(),
  conditions: z.array(HaCondition).default([]),
});
export type TriggerSpec = z.infer<typeof TriggerSpec>;

const RawPlan = z.object({
  feasible: z.boolean().default(true),
  reason: z.string().optional(),
  pattern: z.enum(PATTERNS).optional(),
  title: z.string().trim().min(1).max(120).optional(),
  summary: z.string().trim().max(1000).default(''),
  agents: z
    .array(
      z.object({
        name: z.string().optional(),
        description: z.string().default(''),
        spawn_config: z.record(z.string(), z.unknown()),
      }),
    )
    .default([]),
  trigger: z.unknown().optional(),
});

export interface PlannedAgent {
  config: SpawnConfig;
  /** What it does, in the proposal's words. */
  description: string;
  warnings: string[];
}

export interface PipelinePlan {
  pattern: Pattern;
  title: string;
  summary: string;
  agents: PlannedAgent[];
  trigger: TriggerSpec | undefined;
}

export type ParsedPipeline =
  | { kind: 'plan'; plan: PipelinePlan }
  | { kind: 'infeasible'; reason: string }
  | { kind: 'invalid'; errors: string[] };

export function parsePipelinePlan(text: string): ParsedPipeline {
  const json = readLlmJson(text);
  if (!json.ok) return { kind: 'invalid', errors: [json.error] };
  const value = Array.isArray(json.value) ? { agents: json.value } : json.value;
  const raw = RawPlan.safeParse(value);
  if (!raw.success) return { kind: 'invalid', errors: formatZodIssues(raw.error.issues) };
  const r = raw.data;
  if (!r.feasible) return { kind: 'infeasible', reason: r.reason?.trim() || 'the home lacks what this rule needs' };
  const errors: string[] = [];
  if (!r.pattern) errors.push(`pattern: is required, one of ${PATTERNS.join(', ')}`);
  if (r.agents.length === 0) errors.push('agents: a rule needs at least one agent');
  if (r.agents.length > 6) errors.push('agents: at most 6 agents per rule');
  const agents: PlannedAgent[] = [];
  const names = new Set<string>();
  r.agents.forEach((a, i) => {
    const input = a.spawn_config.name === undefined && a.name ? { ...a.spawn_config, name: a.name } : a.spawn_config;
    const v = validateSpawnConfig(input);
    if (!v.ok) return void errors.push(`agents[${i}]: ${v.error}`);
    if (v.config.type === 'llm') return void errors.push(`agents[${i}] (${v.config.name}): rules use dynamic, ha_actuator or scheduled agents, not llm`);
    if (names.has(v.config.name)) return void errors.push(`agents[${i}]: two agents are named "${v.config.name}"`);
    names.add(v.config.name);
    agents.push({ config: v.config, description: a.description || v.config.description, warnings: v.warnings });
  });
  let trigger: TriggerSpec | undefined;
  if (r.trigger !== undefined && r.trigger !== null) {
    const t = TriggerSpec.safeParse(r.trigger);
    if (t.success) trigger = t.data;
    else errors.push(...formatZodIssues(t.error.issues).map((m) => `trigger.${m}`));
  }
  if (errors.length || !r.pattern) return { kind: 'invalid', errors };
  return { kind: 'plan', plan: { pattern: r.pattern, title: r.title ?? (r.summary.slice(0, 80) || 'Rule'), summary: r.summary, agents, trigger } };
}
