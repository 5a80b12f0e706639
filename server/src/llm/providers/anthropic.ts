// Anthropic Messages API through @anthropic-ai/sdk. The system prompt is the top-level `system`
// field; tool results travel as `tool_result` blocks in the next user turn.
import type Anthropic from '@anthropic-ai/sdk';
import type { LlmMessage, ToolCall, UserMessage } from '../messages.ts';
import { parseToolArguments } from '../messages.ts';
import { DEFAULT_MAX_TOKENS, type LlmProvider, type ProviderCallOptions, type ProviderResult, type StopReason, type StreamDelta, type Usage } from '../types.ts';
import { withCacheMarks } from './anthropic-cache.ts';
import { toLlmError, truncatedStream, type ErrorContext } from './sdk-errors.ts';

export interface AnthropicOptions {
  apiKey: string;
  baseUrl?: string | undefined;
  now?: () => number;
  /** Mark the stable prefix for Anthropic's prompt cache (default true; LLM_PROMPT_CACHE=false turns it off). */
  promptCache?: boolean | undefined;
}

type Block = Anthropic.ContentBlockParam;
type Param = { role: 'user' | 'assistant'; content: Block[] };

function userBlocks(content: UserMessage['content']): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part): Block =>
    part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } },
  );
}

/** Converts the neutral history; consecutive same-role turns are merged (tool results join the user turn). */
export function toAnthropicMessages(messages: readonly LlmMessage[]): Param[] {
  const out: Param[] = [];
  const push = (role: Param['role'], content: Block[]) => {
    if (content.length === 0) return;
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'user':
        push('user', userBlocks(m.content));
        break;
      case 'assistant': {
        const blocks: Block[] = m.content.trim() === '' ? [] : [{ type: 'text', text: m.content }];
        for (const call of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
        push('assistant', blocks);
        break;
      }
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(m.isError ? { is_error: true } : {}) }]);
        break;
    }
  }
  return out;
}

function stopReason(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end';
    case 'tool_use':
      return 'tool_use';
    case 'max_tokens':
      return 'max_tokens';
    default:
      return 'other';
  }
}

interface RawUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** Anthropic's input_tokens exclude cache reads and writes; ours include them. */
function usageOf(u: RawUsage): Usage {
  const cached = u.cache_read_input_tokens ?? 0;
  const written = u.cache_creation_input_tokens ?? 0;
  return { inputTokens: (u.input_tokens ?? 0) + cached + written, outputTokens: u.output_tokens ?? 0, cachedInputTokens: cached, cacheWriteTokens: written };
}

export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic' as const;
  readonly #options: AnthropicOptions;
  #client: Anthropic | undefined;

  constructor(options: AnthropicOptions) {
    this.#options = options;
  }

  async #sdk(): Promise<Anthropic> {
    // Imported at the first call, like the openai SDK: an idle server does not hold it (~8 MB).
    const { default: Anthropic } = await import('@anthropic-ai/sdk');
    // maxRetries 0: retries and timeouts belong to resilience.ts, which tests can drive.
    this.#client ??= new Anthropic({ apiKey: this.#options.apiKey, baseURL: this.#options.baseUrl ?? 'https://api.anthropic.com', maxRetries: 0, timeout: 600_000 });
    return this.#client;
  }

  #errorContext(): ErrorContext {
    return { provider: this.name, secrets: [this.#options.apiKey], baseUrl: this.#options.baseUrl ?? 'https://api.anthropic.com', now: (this.#options.now ?? Date.now)() };
  }

  #params(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions) {
    const tools = options.tools?.length
      ? options.tools.map((t): Anthropic.Tool => ({ name: t.name, description: t.description, input_schema: { type: 'object' as const, ...t.parameters } }))
      : undefined;
    let converted = toAnthropicMessages(messages);
    let cachedSystem: string | Anthropic.TextBlockParam[] | undefined = system || undefined;
    let cachedTools = tools;
    if (this.#options.promptCache !== false) {
      // The turn's user message is the newest one; what comes before it is the saved history.
      const turn = messages.findLastIndex((m) => m.role === 'user');
      const history = turn > 0 ? toAnthropicMessages(messages.slice(0, turn)) : [];
      const lastHistory = history.at(-1);
      const marked = withCacheMarks({
        model: options.model,
        system: system || undefined,
        tools,
        messages: converted,
        // Conversion only appends, so the history's last block keeps its place in the whole request.
        historyEnd: lastHistory ? { message: history.length - 1, block: lastHistory.content.length - 1 } : undefined,
        toolRound: turn >= 0 && turn < messages.length - 1,
      });
      converted = marked.messages;
      cachedSystem = marked.system;
      cachedTools = marked.tools;
    }
    return {
      model: options.model,
      max_tokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
      messages: converted,
      ...(cachedSystem ? { system: cachedSystem } : {}),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(cachedTools ? { tools: cachedTools } : {}),
    };
  }

  async complete(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions): Promise<ProviderResult> {
    try {
      const res = await (await this.#sdk()).messages.create({ ...this.#params(messages, system, options), stream: false }, { signal: options.signal ?? null });
      const toolCalls: ToolCall[] = [];
      let text = '';
      for (const block of res.content) {
        if (block.type === 'text') text += block.text;
        else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, arguments: (block.input ?? {}) as Record<string, unknown> });
      }
      return { text, toolCalls, usage: usageOf(res.usage), model: res.model, stopReason: stopReason(res.stop_reason) };
    } catch (err) {
      throw toLlmError(err, this.#errorContext());
    }
  }

  async *stream(messages: readonly LlmMessage[], system: string | undefined, options: ProviderCallOptions): AsyncGenerator<StreamDelta> {
    let raw: RawUsage = {};
    let model = options.model;
    let reason: StopReason = 'other';
    let finished = false;
    const tools = new Map<number, { id: string; name: string; json: string }>();
    try {
      const events = await (await this.#sdk()).messages.create({ ...this.#params(messages, system, options), stream: true }, { signal: options.signal ?? null });
      for await (const event of events) {
        switch (event.type) {
          case 'message_start':
            model = event.message.model;
            raw = { ...event.message.usage };
            break;
          case 'content_block_start':
            if (event.content_block.type === 'tool_use') tools.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
            else if (event.content_block.type === 'text' && event.content_block.text) yield { type: 'text', text: event.content_block.text };
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta') yield { type: 'text', text: event.delta.text };
            else if (event.delta.type === 'input_json_delta') {
              const tool = tools.get(event.index);
              if (tool) tool.json += event.delta.partial_json;
            }
            break;
          case 'content_block_stop': {
            const tool = tools.get(event.index);
            if (tool) yield { type: 'tool_call', call: { id: tool.id, name: tool.name, arguments: parseToolArguments(tool.json) } };
            break;
          }
          case 'message_delta':
            reason = stopReason(event.delta.stop_reason);
            // message_delta carries cumulative counts; null means "unchanged since message_start".
            raw = {
              input_tokens: event.usage.input_tokens ?? raw.input_tokens,
              output_tokens: event.usage.output_tokens,
              cache_read_input_tokens: event.usage.cache_read_input_tokens ?? raw.cache_read_input_tokens,
              cache_creation_input_tokens: event.usage.cache_creation_input_tokens ?? raw.cache_creation_input_tokens,
            };
            break;
          case 'message_stop':
            finished = true;
            break;
        }
      }
    } catch (err) {
      throw toLlmError(err, this.#errorContext());
    }
    if (!finished) throw truncatedStream(this.name, options.signal);
    yield { type: 'done', usage: usageOf(raw), model, stopReason: reason };
  }
}
