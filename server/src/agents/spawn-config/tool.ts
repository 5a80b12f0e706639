// The spawn protocol as LLM tools, for providers with tool calling. The parameter schema is
// generated from the same zod schemas as the <spawn> block, flattened to one object (Anthropic
// and OpenAI both require `type: object` at the top, without oneOf), and the arguments go
// through the same validation, so a tool call is accepted or refused exactly like a block.
import { z } from 'zod';
import { AGENT_NAME_PATTERN, AgentName } from './agent-name.ts';
import { SPAWN_TYPES, VARIANTS } from './config-schema.ts';
import { parseSpawnJson } from './parse-blocks.ts';
import { validateSpawnConfig, type SpawnValidation } from './validate.ts';

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema (draft-07) of the arguments object. */
  parameters: Record<string, unknown>;
}

const TYPE_HELP =
  'dynamic: JavaScript agent (code, poll_interval); llm: conversational agent (system_prompt); ' +
  'ha_actuator: calls HA services when a topic message matches (mqtt_topics, detection_filter, conditions, cooldown_seconds, actions); ' +
  'scheduled: fires on a schedule (schedule, publish_topic, payload, actions).';

/** Every variant's fields in one object; only name and type are required. */
export function spawnToolArguments(): z.ZodObject {
  const fields: Record<string, z.ZodType> = {};
  for (const variant of Object.values(VARIANTS)) {
    for (const [key, schema] of Object.entries(variant.shape)) {
      if (key !== 'type' && key !== 'name' && !(key in fields)) fields[key] = (schema as z.ZodType).optional();
    }
  }
  // A plain pattern (not the refinement) so the JSON schema carries the slug rule.
  const name = z.string().regex(AGENT_NAME_PATTERN).describe(VARIANTS.dynamic.shape.name.description ?? '');
  return z.object({ name, type: z.enum(SPAWN_TYPES).describe(TYPE_HELP), ...fields });
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  return rest;
}

export const SPAWN_AGENT_TOOL: ToolDefinition = {
  name: 'spawn_agent',
  description:
    'Start a live agent that keeps running (and survives restarts). ' + TYPE_HELP +
    ' Never ask for trusted or unsandboxed execution: only the user can grant it.',
  parameters: jsonSchema(spawnToolArguments()),
};

const DeleteArgs = z.object({ name: AgentName.describe('Name of the agent to stop and remove for good.') });
export const DELETE_AGENT_TOOL: ToolDefinition = {
  name: 'delete_agent',
  description: 'Stop a spawned agent and remove it from the spawn registry, so it is not restored at start.',
  parameters: jsonSchema(DeleteArgs),
};

const DelegateArgs = z.object({
  agent: AgentName.describe('Name of the running agent to send the task to.'),
  task: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).describe('The task: text, or a payload object for the agent\'s handleTask.'),
});
export const DELEGATE_TOOL: ToolDefinition = {
  name: 'delegate_task',
  description: 'Send a task to a running agent and get its result.',
  parameters: jsonSchema(DelegateArgs),
};

/** Tool-call arguments (an object, or the JSON string some providers hand over) -> validated config. */
export function parseSpawnToolCall(args: unknown): SpawnValidation {
  if (typeof args === 'string') {
    const json = parseSpawnJson(args);
    if (!json.ok) return { ok: false, error: `spawn_agent rejected: ${json.error}`, issues: [{ path: '', message: json.error }], warnings: [] };
    const result = validateSpawnConfig(json.value);
    return { ...result, warnings: [...json.notes.map((n) => `JSON repaired: ${n}`), ...result.warnings] };
  }
  return validateSpawnConfig(args);
}

export function parseDeleteToolCall(args: unknown): { ok: true; name: string } | { ok: false; error: string } {
  const parsed = DeleteArgs.safeParse(args);
  return parsed.success ? { ok: true, name: parsed.data.name } : { ok: false, error: `delete_agent rejected: ${z.prettifyError(parsed.error)}` };
}

export function parseDelegateToolCall(
  args: unknown,
): { ok: true; agent: string; task: string | Record<string, unknown> } | { ok: false; error: string } {
  const parsed = DelegateArgs.safeParse(args);
  return parsed.success ? { ok: true, ...parsed.data } : { ok: false, error: `delegate_task rejected: ${z.prettifyError(parsed.error)}` };
}
