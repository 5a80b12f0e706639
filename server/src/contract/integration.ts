// The API of the companion Home Assistant integration (addon/integration/): who this server is,
// an Assist turn streamed as NDJSON, an AI Task, an agent's task and a recipe spawn. The rest of
// what the integration does (rules, plans, agents, budget, live events) is the ordinary API.
import { z } from 'zod';
import { ClientId, Slug } from './common.ts';

export const IntegrationInfo = z.object({
  /** Stable per installation: the config entry's unique id. */
  instance_id: z.string(),
  name: z.literal('Wactorz'),
  version: z.string(),
  llm: z.object({ provider: z.string(), model: z.string().nullable() }),
});
export type IntegrationInfo = z.infer<typeof IntegrationInfo>;

const HaId = z.string().min(1).max(128);

export const AssistUser = z.object({ id: HaId, name: z.string().max(200).nullable().optional(), is_admin: z.boolean() });

export const ConversationRequest = z.object({
  text: z.string().min(1).max(4000).regex(/\S/, 'The text is blank'),
  /** HA's conversation id: the Wactorz conversation, so "yes" answers the question before it. */
  conversation_id: ClientId.nullable().optional(),
  language: z.string().max(20).nullable().optional(),
  /** The HA user who spoke or typed; absent for automations and unknown speakers. */
  user: AssistUser.nullable().optional(),
  device_id: HaId.nullable().optional(),
  satellite_id: HaId.nullable().optional(),
  area_id: HaId.nullable().optional(),
});
export type ConversationRequest = z.infer<typeof ConversationRequest>;

/** The last NDJSON line of a conversation stream (after the turn's `done`). */
export const ConversationEnd = z.object({ type: z.literal('end'), conversation_id: z.string(), continue_conversation: z.boolean() });
export type ConversationEnd = z.infer<typeof ConversationEnd>;

export const Attachment = z.object({
  mime_type: z.string().max(100),
  /** Base64 of the file. */
  data: z.string().min(1).max(14_000_000),
  filename: z.string().max(255).nullable().optional(),
});

export const AiTaskRequest = z.object({
  task_name: z.string().min(1).max(200),
  instructions: z.string().min(1).max(20_000),
  /** A JSON Schema object the answer must match; absent: the answer is text. */
  structure: z.record(z.string(), z.unknown()).nullable().optional(),
  attachments: z.array(Attachment).max(8).optional(),
});
export type AiTaskRequest = z.infer<typeof AiTaskRequest>;

export const AiTaskResponse = z.object({ conversation_id: z.string(), data: z.unknown() });
export type AiTaskResponse = z.infer<typeof AiTaskResponse>;

export const AgentTaskRequest = z.object({ payload: z.unknown() });
export const AgentTaskResponse = z.object({ agent: z.string(), result: z.string(), conversation_id: z.string() });
export type AgentTaskResponse = z.infer<typeof AgentTaskResponse>;

export const RecipeSpawnRequest = z.object({
  name: Slug.nullable().optional(),
  params: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()])).nullable().optional(),
});
export const RecipeSpawnResponse = z.object({ recipe: z.string(), agent: z.string(), status: z.enum(['spawned', 'reused', 'replaced']), reply: z.string() });
export type RecipeSpawnResponse = z.infer<typeof RecipeSpawnResponse>;
