// The shapes that cross between a sandboxed agent and its host, declared once in zod. The SDK
// functions validate the isolate's arguments with these; AgentHost's types are inferred from them.
import { z } from 'zod';

/** Anything that survived a JSON round trip: the only kind of value that crosses the boundary. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const JsonValue: z.ZodType<Json> = z.json();
export const JsonObjectSchema: z.ZodType<JsonObject> = z.record(z.string(), z.json());

/** MQTT topic name an agent may publish to (no wildcards, no system root check here: the host owns topics). */
export const TopicName = z
  .string()
  .min(1, 'topic must not be empty')
  .max(512, 'topic is longer than 512 characters')
  .refine((t) => !/[#+]/.test(t) && !t.includes('\u0000'), 'a topic to publish to cannot contain +, # or NUL');

/** MQTT topic filter an agent may subscribe to (+ and # allowed where MQTT allows them). */
export const TopicFilter = z
  .string()
  .min(1, 'topic filter must not be empty')
  .max(512, 'topic filter is longer than 512 characters')
  .refine((f) => !f.includes('\u0000') && f.split('/').every((level, i, all) => (level === '#' ? i === all.length - 1 : level === '+' || !/[#+]/.test(level))), 'invalid topic filter: + must fill a whole level and # must be the last level');

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const LlmMessage = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(200_000),
});

export const LlmImage = z.object({
  contentType: z.string().regex(/^image\/[a-z0-9.+-]+$/, 'an image content type such as image/jpeg'),
  dataBase64: z.string().max(8_000_000),
});

export const LlmChatRequest = z
  .object({
    prompt: z.string().max(200_000).optional(),
    messages: z.array(LlmMessage).max(100).optional(),
    system: z.string().max(50_000).optional(),
    images: z.array(LlmImage).max(4).optional(),
    maxTokens: z.number().int().min(1).max(32_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .refine((r) => r.prompt !== undefined || (r.messages?.length ?? 0) > 0, 'give a prompt or at least one message');
export type LlmChatRequest = z.infer<typeof LlmChatRequest>;

export const WindowOptions = z.object({
  seconds: z.number().positive().max(7 * 24 * 3600),
  /** Cap on kept events, so a chatty topic cannot grow the host's buffer without bound. */
  maxEvents: z.number().int().min(1).max(100_000).optional(),
});
export type WindowOptions = z.infer<typeof WindowOptions>;

const field = z.string().min(1).max(200).optional();
export const WindowQuery = z.discriminatedUnion('op', [
  z.object({ op: z.literal('mean'), field }),
  z.object({ op: z.literal('min'), field }),
  z.object({ op: z.literal('max'), field }),
  z.object({ op: z.literal('latest'), field }),
  z.object({ op: z.literal('values'), field }),
  z.object({ op: z.literal('count') }),
  z.object({ op: z.literal('rising'), threshold: z.number().optional(), field }),
  z.object({ op: z.literal('falling'), threshold: z.number().optional(), field }),
  z.object({ op: z.literal('stable'), tolerance: z.number().nonnegative().optional(), field }),
  z.object({ op: z.literal('absent_for'), seconds: z.number().nonnegative() }),
  z.object({ op: z.literal('event_count'), seconds: z.number().positive().optional() }),
]);
export type WindowQuery = z.infer<typeof WindowQuery>;
export type WindowOp = WindowQuery['op'];

export const EntityId = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z0-9_]+$/, 'an entity id such as light.kitchen');

export const HaServiceCall = z.object({
  domain: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a domain such as light'),
  service: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a service such as turn_on'),
  data: JsonObjectSchema.optional(),
});
export type HaServiceCall = z.infer<typeof HaServiceCall>;

export const Notification = z.object({
  message: z.string().min(1).max(4000),
  title: z.string().max(200).optional(),
  /** A notify service target such as mobile_app_pixel; the host picks its default when absent. */
  target: z.string().max(200).optional(),
  data: JsonObjectSchema.optional(),
});
export type Notification = z.infer<typeof Notification>;

export const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
export const HttpRequestInit = z.object({
  method: HttpMethod.optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.union([z.string(), JsonObjectSchema, z.array(z.json())]).optional(),
});
export type HttpRequestInit = z.infer<typeof HttpRequestInit>;
