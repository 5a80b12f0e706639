// The provider-neutral conversation vocabulary. Every provider adapter translates from these
// shapes, stored histories are validated against them, and later the HTTP/MQTT layers reuse the
// same schemas, so a message means the same thing everywhere.
import { z } from 'zod';

export const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() });

/** An image given inline (base64, no data: prefix), e.g. a camera snapshot for a vision model. */
export const ImagePartSchema = z.object({
  type: z.literal('image'),
  mediaType: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
  data: z.string().min(1),
});

export const ContentPartSchema = z.discriminatedUnion('type', [TextPartSchema, ImagePartSchema]);

export const ToolCallSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});

export const UserMessageSchema = z.object({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(ContentPartSchema)]),
});

export const AssistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string(),
  toolCalls: z.array(ToolCallSchema).optional(),
});

/** The result of one tool call, answering the assistant message that asked for it. */
export const ToolMessageSchema = z.object({
  role: z.literal('tool'),
  toolCallId: z.string().min(1),
  name: z.string().optional(),
  content: z.string(),
  isError: z.boolean().optional(),
});

export const LlmMessageSchema = z.discriminatedUnion('role', [UserMessageSchema, AssistantMessageSchema, ToolMessageSchema]);

/** A function the model may call; `parameters` is a JSON Schema object. */
export const ToolDefinitionSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});

export type TextPart = z.infer<typeof TextPartSchema>;
export type ImagePart = z.infer<typeof ImagePartSchema>;
export type ContentPart = z.infer<typeof ContentPartSchema>;
export type ToolCall = z.infer<typeof ToolCallSchema>;
export type UserMessage = z.infer<typeof UserMessageSchema>;
export type AssistantMessage = z.infer<typeof AssistantMessageSchema>;
export type ToolMessage = z.infer<typeof ToolMessageSchema>;
export type LlmMessage = z.infer<typeof LlmMessageSchema>;
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;

/** The text of a user message's content, images left out. */
export function textOf(content: UserMessage['content']): string {
  return typeof content === 'string' ? content : content.filter((p) => p.type === 'text').map((p) => p.text).join('\n');
}

export function imagesOf(content: UserMessage['content']): ImagePart[] {
  return typeof content === 'string' ? [] : content.filter((p): p is ImagePart => p.type === 'image');
}

/** Parses a tool call's JSON argument text; models sometimes emit invalid JSON, kept visible under `_raw`. */
export function parseToolArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { _raw: text };
  } catch {
    return { _raw: text };
  }
}
