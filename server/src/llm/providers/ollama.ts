// Ollama's native /api/chat through the `ollama` package. As in the original, the system prompt
// is the first {role:'system'} message of the array, for blocking and streaming calls alike.
// The package has no per-call AbortSignal, so each call gets a client whose fetch carries ours.
import { Ollama, type ChatResponse, type Message as OllamaMessage, type ToolCall as OllamaToolCall } from 'ollama';
import type { LlmMessage, ToolCall } from '../messages.ts';
import { imagesOf, textOf } from '../messages.ts';
import type { LlmProvider, ProviderCallOptions, ProviderResult, StopReason, StreamDelta, Usage } from '../types.ts';
import { toLlmError, truncatedStream, type ErrorContext } from './sdk-errors.ts';

export interface OllamaOptions {
  host: string;
  now?: () => number;
}

export function toOllamaMessages(messages: readonly LlmMessage[], system: string | undefined): OllamaMessage[] {
  const out: OllamaMessage[] = system ? [{ role: 'system', content: system }] : [];
  const toolNames = new Map<string, string>();
  for (const m of messages) {
    switch (m.role) {
      case 'user': {
        const images = imagesOf(m.content).map((i) => i.data);
        out.push({ role: 'user', content: textOf(m.content), ...(images.length ? { images } : {}) });
        break;
      }
      case 'assistant':
        for (const c of m.toolCalls ?? []) toolNames.set(c.id, c.name);
        out.push({
          role: 'assistant',
          content: m.content,
          ...(m.toolCalls?.length ? { tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: c.arguments } })) } : {}),
        });
        break;
      case 'tool': {
        // Ollama matches results to calls by tool name, not id.
        const name = m.name ?? toolNames.get(m.toolCallId);
        out.push({ role: 'tool', content: m.content, ...(name ? { tool_name: name } : {}) });
        break;
      }
    }
  }
  return out;
}

function toolCallsOf(calls: readonly (OllamaToolCall & { id?: string })[] | undefined, offset: number): ToolCall[] {
  // Older Ollama versions send no ids; later turns still need one to pair results with calls.
  return (calls ?? []).map((c, i) => ({ id: c.id ?? `ollama_call_${offset + i}`, name: c.function.name, arguments: c.function.arguments ?? {} }));
}

function stopReason(reason: string | undefined, hasTools: boolean): StopReason {
  if (hasTools) return 'tool_use';
  if (reason === 'stop') return 'end';
  if (reason === 'length') return 'max_tokens';
  return 'other';
}

function usageOf(r: Partial<ChatResponse>): Usage {
  return { inputTokens: r.prompt_eval_count ?? 0, outputTokens: r.eval_count ?? 0, cachedInputTokens: 0, cacheWriteTokens: 0 };
}

export class OllamaProvider implements LlmProvider {
  readonly name = 'ollama' as const;
  readonly #options: OllamaOptions;

  constructor(options: OllamaOptions) {
    this.#options = options;
  }

  #client(signal: AbortSignal | undefined): Ollama {
    const withSignal: typeof fetch = (input, init) =>
      fetch(input, { ...init, ...(signal ? { signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal } : {}) });
    return new Ollama({ host: this.#options.host, fetch: withSignal });
  }

  #errorContext(): ErrorContext {
    return { provider: this.name, secrets: [], baseUrl: this.#options.host, now: (this.#options.now ?? Date.now)() };
  }

  #request(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions) {
    const modelOptions = {
      ...(options.maxTokens !== undefined ? { num_predict: options.maxTokens } : {}),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
    };
    return {
      model: options.model,
      messages: toOllamaMessages(messages, system),
      ...(Object.keys(modelOptions).length ? { options: modelOptions } : {}),
      ...(options.tools?.length
        ? { tools: options.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) }
        : {}),
    };
  }

  async complete(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions): Promise<ProviderResult> {
    try {
      const res = await this.#client(options.signal).chat({ ...this.#request(messages, system, options), stream: false });
      const toolCalls = toolCallsOf(res.message.tool_calls, 0);
      return { text: res.message.content ?? '', toolCalls, usage: usageOf(res), model: res.model || options.model, stopReason: stopReason(res.done_reason, toolCalls.length > 0) };
    } catch (err) {
      throw toLlmError(err, this.#errorContext());
    }
  }

  async *stream(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions): AsyncGenerator<StreamDelta> {
    let final: ChatResponse | undefined;
    let model = options.model;
    let toolCount = 0;
    try {
      const parts = await this.#client(options.signal).chat({ ...this.#request(messages, system, options), stream: true });
      for await (const part of parts) {
        if (part.model) model = part.model;
        if (part.message?.content) yield { type: 'text', text: part.message.content };
        for (const call of toolCallsOf(part.message?.tool_calls, toolCount)) {
          toolCount++;
          yield { type: 'tool_call', call };
        }
        if (part.done) final = part;
      }
    } catch (err) {
      throw toLlmError(err, this.#errorContext());
    }
    if (!final) throw truncatedStream(this.name, options.signal);
    yield { type: 'done', usage: usageOf(final), model, stopReason: stopReason(final.done_reason, toolCount > 0) };
  }
}
