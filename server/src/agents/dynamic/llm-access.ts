// agent.llm.chat and the self-correction of broken agent code, both through the one LLM service:
// call site `agent`, the agent's name and, for a rule's agent, the rule's id on every call, so each
// agent's and each rule's spending shows in the ledger and counts against the budget (a refusal
// reaches agent code as a rejected promise).
import type { ContentPart, LlmMessage, LlmService } from '../../llm/index.ts';
import { SdkError } from '../../sandbox/errors.ts';
import type { FixCode } from '../../sandbox/self-correct.ts';
import type { LlmChatRequest } from '../../sandbox/types.ts';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type ImageType = (typeof IMAGE_TYPES)[number];

export async function agentChat(llm: LlmService | undefined, agent: string, request: LlmChatRequest, signal: AbortSignal, rule?: string): Promise<string> {
  if (!llm) throw new SdkError('agent.llm.chat: no LLM is configured for this Wactorz');
  const { system, messages } = toMessages(request);
  const result = await llm.complete({
    callSite: 'agent',
    agent,
    ...(rule !== undefined ? { rule } : {}),
    messages,
    ...(system ? { system } : {}),
    ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    signal,
  });
  return result.text;
}

/** The SDK's request as provider-neutral messages; system-role messages join the system prompt. */
export function toMessages(request: LlmChatRequest): { system: string | undefined; messages: LlmMessage[] } {
  const systemParts = request.system ? [request.system] : [];
  const messages: LlmMessage[] = [];
  for (const m of request.messages ?? []) {
    if (m.role === 'system') systemParts.push(m.content);
    else messages.push(m.role === 'user' ? { role: 'user', content: m.content } : { role: 'assistant', content: m.content });
  }
  if (request.prompt !== undefined) messages.push({ role: 'user', content: request.prompt });
  const images = request.images ?? [];
  if (images.length > 0) {
    const last = messages.findLastIndex((m) => m.role === 'user');
    if (last === -1) throw new SdkError('agent.llm.chat: images need a prompt or a user message to go with them');
    const msg = messages[last] as Extract<LlmMessage, { role: 'user' }>;
    const parts: ContentPart[] = typeof msg.content === 'string' ? [{ type: 'text', text: msg.content }] : [...msg.content];
    for (const img of images) parts.push({ type: 'image', mediaType: imageType(img.contentType), data: img.dataBase64 });
    messages[last] = { role: 'user', content: parts };
  }
  if (messages.length === 0 || messages.at(-1)?.role !== 'user') throw new SdkError('agent.llm.chat: the conversation must end with a user message');
  return { system: systemParts.length ? systemParts.join('\n\n') : undefined, messages };
}

function imageType(contentType: string): ImageType {
  const t = contentType.toLowerCase().split(';')[0]?.trim() ?? '';
  const found = IMAGE_TYPES.find((x) => x === (t === 'image/jpg' ? 'image/jpeg' : t));
  if (!found) throw new SdkError(`agent.llm.chat: ${contentType} images are not supported (use ${IMAGE_TYPES.join(', ')})`);
  return found;
}

const FIX_SYSTEM = [
  'You repair JavaScript agents that run inside a sandbox (an isolated-vm isolate) of Wactorz for Home Assistant.',
  'The agent defines top-level async functions setup(agent), process(agent), handleTask(agent, payload) and/or cleanup(agent),',
  'and reaches the outside world only through the agent SDK described below. There is no require, no import, no process, no setTimeout.',
  'Answer with the complete corrected code only, in one ```javascript block, keeping the agent\'s purpose and hooks.',
].join(' ');

/** A FixCode for startWithSelfCorrection that asks the LLM service (ledgered to the agent). */
export function llmFixCode(llm: LlmService, agent: string, signal: AbortSignal, ruleOf?: () => string | undefined): FixCode {
  return async (error, code, reference) => {
    const prompt = `The agent "${agent}" failed to start.\n\nError (${error.phase}, ${error.severity}): ${error.message}\n\nIts code:\n\`\`\`javascript\n${code}\n\`\`\`\n\nThe agent SDK:\n${reference}\n\nReturn the corrected code.`;
    const rule = ruleOf?.();
    const result = await llm.complete({ callSite: 'agent', agent, ...(rule !== undefined ? { rule } : {}), system: FIX_SYSTEM, messages: [{ role: 'user', content: prompt }], signal });
    return extractCode(result.text);
  };
}

/** The code of a reply: the first fenced block, else the whole reply. */
export function extractCode(reply: string): string | undefined {
  const fenced = /```(?:javascript|js)?[^\n]*\n([\s\S]*?)```/i.exec(reply);
  const code = (fenced?.[1] ?? reply).trim();
  return code === '' ? undefined : code;
}
