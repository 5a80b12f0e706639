// OpenAI Chat Completions through the `openai` SDK. The same wire protocol serves OpenAI itself,
// NVIDIA NIM and Google Gemini's OpenAI-compatible endpoint; only the base URL, the key and one
// parameter name differ.
import type OpenAI from 'openai';
import type { LlmMessage, ToolCall } from '../messages.ts';
import { parseToolArguments } from '../messages.ts';
import type { LlmProvider, ProviderCallOptions, ProviderResult, StopReason, StreamDelta, Usage } from '../types.ts';
import { toLlmError, truncatedStream, type ErrorContext } from './sdk-errors.ts';

export type OpenAiCompatibleName = 'openai' | 'nim' | 'gemini';

export interface OpenAiCompatibleOptions {
  name: OpenAiCompatibleName;
  apiKey: string;
  baseUrl: string;
  now?: () => number;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export function toOpenAiMessages(messages: readonly LlmMessage[], system: string | undefined): ChatMessage[] {
  const out: ChatMessage[] = system ? [{ role: 'system', content: system }] : [];
  for (const m of messages) {
    switch (m.role) {
      case 'user':
        out.push({
          role: 'user',
          content:
            typeof m.content === 'string'
              ? m.content
              : m.content.map((part) =>
                  part.type === 'text'
                    ? { type: 'text' as const, text: part.text }
                    : { type: 'image_url' as const, image_url: { url: `data:${part.mediaType};base64,${part.data}` } },
                ),
        });
        break;
      case 'assistant':
        out.push({
          role: 'assistant',
          content: m.content === '' && m.toolCalls?.length ? null : m.content,
          ...(m.toolCalls?.length
            ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) }
            : {}),
        });
        break;
      case 'tool':
        out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
        break;
    }
  }
  return out;
}

function stopReason(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'stop':
      return 'end';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    default:
      return 'other';
  }
}

function usageOf(u: OpenAI.CompletionUsage | null | undefined): Usage {
  return {
    inputTokens: u?.prompt_tokens ?? 0,
    outputTokens: u?.completion_tokens ?? 0,
    cachedInputTokens: u?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
  };
}

/** Gemini names models `models/gemini-…` in its answers; the rest of the system knows them without the prefix. */
function modelName(reported: string | undefined, requested: string): string {
  return reported ? reported.replace(/^models\//, '') : requested;
}

export class OpenAiCompatibleProvider implements LlmProvider {
  readonly name: OpenAiCompatibleName;
  readonly #options: OpenAiCompatibleOptions;
  #client: OpenAI | undefined;

  constructor(options: OpenAiCompatibleOptions) {
    this.#options = options;
    this.name = options.name;
  }

  async #sdk(): Promise<OpenAI> {
    // Imported at the first call: a home that uses another provider never loads this SDK (~25 MB).
    const { default: OpenAI } = await import('openai');
    // organization/project null: never pick up OPENAI_ORG_ID etc. from the environment for NIM or Gemini.
    this.#client ??= new OpenAI({ apiKey: this.#options.apiKey, baseURL: this.#options.baseUrl, organization: null, project: null, maxRetries: 0, timeout: 600_000 });
    return this.#client;
  }

  #errorContext(): ErrorContext {
    return { provider: this.name, secrets: [this.#options.apiKey], baseUrl: this.#options.baseUrl, now: (this.#options.now ?? Date.now)() };
  }

  #params(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions) {
    return {
      model: options.model,
      messages: toOpenAiMessages(messages, system),
      // OpenAI's reasoning models refuse max_tokens; the compatible servers do not all know the new name.
      ...(options.maxTokens !== undefined ? (this.name === 'openai' ? { max_completion_tokens: options.maxTokens } : { max_tokens: options.maxTokens }) : {}),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(options.tools?.length
        ? { tools: options.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) }
        : {}),
    };
  }

  async complete(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions): Promise<ProviderResult> {
    try {
      const res = await (await this.#sdk()).chat.completions.create({ ...this.#params(messages, system, options), stream: false }, { signal: options.signal ?? null });
      const choice = res.choices[0];
      const toolCalls: ToolCall[] = (choice?.message.tool_calls ?? []).flatMap((c) =>
        c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: parseToolArguments(c.function.arguments) }] : [],
      );
      return { text: choice?.message.content ?? '', toolCalls, usage: usageOf(res.usage), model: modelName(res.model, options.model), stopReason: stopReason(choice?.finish_reason) };
    } catch (err) {
      throw toLlmError(err, this.#errorContext());
    }
  }

  async *stream(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions): AsyncGenerator<StreamDelta> {
    let usage: Usage | undefined;
    let model = options.model;
    let reason: string | null | undefined;
    const calls = new Map<number, { id: string; name: string; args: string }>();
    try {
      const chunks = await (await this.#sdk()).chat.completions.create(
        // include_usage: the final chunk (empty choices) then carries the token counts.
        { ...this.#params(messages, system, options), stream: true, stream_options: { include_usage: true } },
        { signal: options.signal ?? null },
      );
      for await (const chunk of chunks) {
        if (chunk.model) model = modelName(chunk.model, model);
        if (chunk.usage) usage = usageOf(chunk.usage);
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.delta.content) yield { type: 'text', text: choice.delta.content };
        for (const d of choice.delta.tool_calls ?? []) {
          const call = calls.get(d.index) ?? { id: '', name: '', args: '' };
          if (d.id) call.id = d.id;
          if (d.function?.name) call.name += d.function.name;
          if (d.function?.arguments) call.args += d.function.arguments;
          calls.set(d.index, call);
        }
        if (choice.finish_reason) reason = choice.finish_reason;
      }
    } catch (err) {
      throw toLlmError(err, this.#errorContext());
    }
    if (!reason) throw truncatedStream(this.name, options.signal);
    for (const [index, call] of [...calls.entries()].sort((a, b) => a[0] - b[0])) {
      yield { type: 'tool_call', call: { id: call.id || `call_${index}`, name: call.name, arguments: parseToolArguments(call.args) } };
    }
    yield { type: 'done', usage: usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 }, model, stopReason: stopReason(reason) };
  }
}
