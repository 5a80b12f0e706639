import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { LlmChatRequest } from '../schemas.ts';
import { defineSdk } from './define.ts';

const Options = z.object({
  system: z.string().optional(),
  images: z.array(z.unknown()).optional(),
  maxTokens: z.number().optional(),
  temperature: z.number().optional(),
});

export const llmChat = defineSdk({
  name: 'llm.chat',
  path: 'llm.chat',
  scope: 'llm',
  mode: 'async',
  heavy: true,
  args: z.tuple([z.union([z.string().min(1, 'the prompt is empty'), z.record(z.string(), z.json())]), Options.nullish()]),
  doc: {
    signature: 'agent.llm.chat(prompt, { system, images, maxTokens, temperature })',
    returns: 'a promise of the reply text',
    description: 'Asks the configured LLM. prompt is a string, or { messages: [{ role, content }], system } for a conversation. images: [{ contentType, dataBase64 }] (from agent.ha.cameraSnapshot) for a vision model. Costs count against the user\'s budget.',
    example: "const text = await agent.llm.chat('Summarise: ' + JSON.stringify(readings));",
  },
  async run(ctx, [prompt, options]) {
    const raw = typeof prompt === 'string' ? { prompt, ...options } : { ...prompt, ...options };
    const parsed = LlmChatRequest.safeParse(raw);
    if (!parsed.success) throw new SdkError(`agent.llm.chat: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
    return ctx.host.llmChat(parsed.data, ctx.signal);
  },
});
