// The canonical spawn config: a discriminated union on `type`. This is what the spawn registry
// stores and what the tool definition advertises; loose LLM output is brought into this shape by
// normalize.ts first. Strict objects: an unknown field here is a bug upstream, not LLM noise.
import { z } from 'zod';
import { isValidTopicFilter, isValidTopicName } from '../../bus/topic-bus/topic-filter.ts';
import { AgentName } from './agent-name.ts';
import { DetectionFilter } from './detection-filter.ts';
import { HaAction, HaCondition } from '../../ha/action.ts';
import {
  DEFAULT_COOLDOWN_SECONDS, DEFAULT_POLL_SECONDS, MAX_CODE_CHARS, MAX_COOLDOWN_SECONDS, MAX_DESCRIPTION_CHARS, MAX_FOR_SECONDS,
  MAX_POLL_SECONDS, MAX_PROMPT_CHARS, MIN_POLL_SECONDS,
} from './limits.ts';
import { Schedule } from './schedule.ts';

export const SPAWN_TYPES = ['dynamic', 'llm', 'ha_actuator', 'scheduled'] as const;
export type SpawnType = (typeof SPAWN_TYPES)[number];

const TopicFilter = z.string().refine(isValidTopicFilter, { error: 'not a valid MQTT topic filter' });
const TopicName = z.string().refine(isValidTopicName, { error: 'not a valid MQTT topic name (no + or # when publishing)' });
/** npm package name with an optional version range: "date-fns", "@scope/pkg@^2". */
const NpmPackage = z
  .string()
  .max(214)
  .regex(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(@[\w.^~<>=*|\s-]+)?$/, {
    error: 'expected an npm package name like "date-fns" or "@scope/name@^1"',
  });
const FreeSchema = z.record(z.string(), z.unknown());

/** Fields every agent type accepts. */
const common = {
  name: AgentName.describe('Unique slug name (lowercase, digits, "-", "_"). A clash reuses the running agent unless replace is true.'),
  description: z.string().max(MAX_DESCRIPTION_CHARS).default('').describe('What the agent does; shown in the panel and read by the planner.'),
  node: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'expected a node name like "rpi-kitchen"' })
    .optional()
    .describe('Remote node to run on (e.g. "rpi-kitchen"); omit to run locally.'),
  replace: z.boolean().default(false).describe('Stop an existing agent with this name and start this one instead.'),
  publishes: z.array(TopicName).default([]).describe('MQTT topics this agent publishes to.'),
  subscribes: z.array(TopicFilter).default([]).describe('MQTT topic filters this agent listens to (+ and # allowed).'),
  input_schema: FreeSchema.optional().describe('Task payload fields, e.g. {"city": "string"}.'),
  output_schema: FreeSchema.optional().describe('Result or published payload fields, e.g. {"temp": "number"}.'),
  capabilities: z.array(z.string().min(1)).default([]).describe('Keywords the planner can match tasks against.'),
};

export const DynamicSpawn = z
  .object({
    type: z.literal('dynamic'),
    ...common,
    code: z
      .string()
      .min(1, { error: 'must not be empty: define setup, process and/or handleTask' })
      .max(MAX_CODE_CHARS, { error: `is too long (max ${MAX_CODE_CHARS} characters)` })
      .describe('JavaScript defining async setup(agent), process(agent), handleTask(agent, payload) and/or cleanup(agent).'),
    poll_interval: z
      .number()
      .min(MIN_POLL_SECONDS)
      .max(MAX_POLL_SECONDS)
      .default(DEFAULT_POLL_SECONDS)
      .describe(`Seconds between process() calls (${MIN_POLL_SECONDS}-${MAX_POLL_SECONDS}).`),
    install: z.array(NpmPackage).default([]).describe('npm packages the code needs (reported as unavailable inside the sandbox for now).'),
  })
  .strict();

export const LlmSpawn = z
  .object({
    type: z.literal('llm'),
    ...common,
    system_prompt: z
      .string()
      .min(1, { error: 'must not be empty: an llm agent is its system prompt' })
      .max(MAX_PROMPT_CHARS)
      .describe('Persona and instructions of a conversational (llm) agent.'),
  })
  .strict();

export const HaActuatorSpawn = z
  .object({
    type: z.literal('ha_actuator'),
    ...common,
    automation_id: z.string().min(1).describe('Id of the automation this actuator belongs to (defaults to the name).'),
    mqtt_topics: z.array(TopicFilter).min(1, { error: 'needs at least one topic to react to' }).describe('Topics whose messages trigger the actions.'),
    detection_filter: DetectionFilter.optional().describe('Dotted path -> literal or {eq|ne|gt|lt|gte|lte: value}; all must match. null matches every message.'),
    for_seconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_FOR_SECONDS)
      .optional()
      .describe("Act only once the filter has held this long (HA's for:): a matching message starts the wait, one that no longer matches cancels it. Survives restarts."),
    conditions: z.array(HaCondition).default([]).describe('Live HA entity conditions, all must hold (AND).'),
    cooldown_seconds: z.number().min(0).max(MAX_COOLDOWN_SECONDS).default(DEFAULT_COOLDOWN_SECONDS).describe('Minimum seconds between two runs.'),
    actions: z.array(HaAction).min(1, { error: 'needs at least one Home Assistant service call' }).describe('HA service calls to make, in order.'),
  })
  .strict();

export const ScheduledSpawn = z
  .object({
    type: z.literal('scheduled'),
    ...common,
    schedule: Schedule.describe('When to fire: daily{at}, weekly{at,days}, interval{seconds}, once{at}, cron{expr} or sun{event,offset}.'),
    publish_topic: TopicName.describe('Topic published on every firing (default schedule/{name}/fired).'),
    payload: FreeSchema.optional().describe('Extra fields merged into the fired message.'),
    actions: z.array(HaAction).default([]).describe('HA service calls made directly on every firing.'),
  })
  .strict();

export const SpawnConfig = z.discriminatedUnion('type', [DynamicSpawn, LlmSpawn, HaActuatorSpawn, ScheduledSpawn]);
export type SpawnConfig = z.infer<typeof SpawnConfig>;
export type SpawnConfigInput = z.input<typeof SpawnConfig>;

export const VARIANTS = {
  dynamic: DynamicSpawn,
  llm: LlmSpawn,
  ha_actuator: HaActuatorSpawn,
  scheduled: ScheduledSpawn,
} as const satisfies Record<SpawnType, z.ZodObject>;

export function isSpawnType(value: unknown): value is SpawnType {
  return typeof value === 'string' && (SPAWN_TYPES as readonly string[]).includes(value);
}
