// HA's AI Task (`ai_task.generate_data`) run by Wactorz's LLM layer: the instructions, camera
// images and other image attachments in, text or data matching the caller's JSON Schema out.
// Budget and ledger are the LLM layer's (call site `ai_task`). A structured answer is asked for
// as a tool call whose parameters are the schema (every provider with tools returns arguments
// as JSON), and checked against the schema before HA sees it.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AiTaskRequest, AiTaskResponse } from '../../contract/integration.ts';
import { ServiceError } from '../../contract/service-error.ts';
import type { LlmRequest, LlmResult } from '../../llm/service.ts';
import type { ContentPart, ImagePart } from '../../llm/messages.ts';
import { parseLlmJson } from '../../agents/ha/llm-json.ts';

export interface AiTaskLlm {
  complete(request: LlmRequest): Promise<LlmResult>;
}

const IMAGE_TYPES = new Set<ImagePart['mediaType']>(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const ANSWER_TOOL = 'give_answer';

const SYSTEM = [
  'You carry out one task for Home Assistant and return only its result.',
  'Images, when given, are attachments of the task (for example camera snapshots).',
].join(' ');

function imagesOf(req: AiTaskRequest): ImagePart[] {
  return (req.attachments ?? []).map((a) => {
    const mediaType = a.mime_type.toLowerCase() as ImagePart['mediaType'];
    if (!IMAGE_TYPES.has(mediaType)) throw new ServiceError('invalid', `Attachment ${a.filename ?? ''} is ${a.mime_type}; only JPEG, PNG, GIF and WebP images can be given to the model`.replace('  ', ' '));
    return { type: 'image', mediaType, data: a.data };
  });
}

/** The schema as a validator; a schema zod cannot read is the caller's error, said before any model call. */
function validatorFor(structure: Record<string, unknown>): z.ZodType {
  try {
    return z.fromJSONSchema(structure);
  } catch (err) {
    throw new ServiceError('invalid', `The structure is not a JSON Schema this server can check: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function runAiTask(llm: AiTaskLlm, req: AiTaskRequest, signal?: AbortSignal): Promise<AiTaskResponse> {
  const images = imagesOf(req);
  const structure = req.structure ?? undefined;
  const validator = structure ? validatorFor(structure) : undefined;
  const content: ContentPart[] = [{ type: 'text', text: req.instructions }, ...images];
  const request: LlmRequest = {
    callSite: 'ai_task',
    agent: 'ai-task',
    system: structure ? `${SYSTEM} Give the result by calling ${ANSWER_TOOL} once; write no other text.` : SYSTEM,
    messages: [{ role: 'user', content: images.length > 0 ? content : req.instructions }],
    ...(structure ? { tools: [{ name: ANSWER_TOOL, description: `The result of the task "${req.task_name}".`, parameters: structure }] } : {}),
    ...(signal ? { signal } : {}),
  };
  let result: LlmResult;
  try {
    result = await llm.complete(request);
  } catch (err) {
    throw new ServiceError('unavailable', `The model could not run the task: ${err instanceof Error ? err.message : String(err)}`);
  }
  const conversation_id = `ai-task-${randomBytes(9).toString('base64url')}`;
  if (!validator) return { conversation_id, data: result.text };
  // Some models ignore the tool and write the JSON as text.
  const asText = parseLlmJson(result.text);
  const given = result.toolCalls.find((c) => c.name === ANSWER_TOOL)?.arguments ?? (asText.ok ? asText.value : undefined);
  if (given === undefined) throw new ServiceError('unavailable', 'The model gave no structured answer for the task');
  const checked = validator.safeParse(given);
  if (!checked.success) {
    const problems = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ');
    throw new ServiceError('unavailable', `The model's answer does not match the structure (${problems})`);
  }
  return { conversation_id, data: checked.data };
}
