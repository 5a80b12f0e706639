// The memory of an LLM agent: a persisted, self-repairing, rolling conversation. Independent of
// the actor kernel; an actor owns one and serialises its exchanges (it is not re-entrant).
// Each successful exchange is written to SQLite before the reply is returned; a failed call
// leaves no trace, so a retry does not duplicate the user's message.
import type { Logger } from '../../logger.ts';
import type { LlmMessage, ToolDefinition, ToolMessage, UserMessage } from '../messages.ts';
import type { CallSite } from '../models.ts';
import type { LlmRequest, LlmResult, LlmService, LlmStreamEvent } from '../service.ts';
import { sanitizeHistory } from './sanitize.ts';
import type { ConversationStore, Summary } from './store.ts';
import { SUMMARY_SYSTEM, cutPoint, summaryContext, summaryRequest } from './summarize.ts';

export const DEFAULT_SUMMARY_THRESHOLD = 30;
export const DEFAULT_MAX_SUMMARIES = 8;

export interface LlmConversationOptions {
  /** Key of the stored conversation (usually the agent's name). */
  id: string;
  llm: LlmService;
  store: ConversationStore;
  /** Ledger attribution. */
  agent: string;
  system?: string | (() => string);
  /**
   * What the model needs for this exchange only (e.g. the part of the home the request names,
   * the language it came in): given in front of the newest user message, never saved. Kept out
   * of the system prompt so the system prompt and the history before this turn stay a stable
   * prefix the provider's prompt cache can keep (anything that changes sits after them).
   */
  context?: () => string | undefined;
  callSite?: CallSite;
  /** Overrides the call site's model (`provider:model`). */
  model?: string;
  tools?: readonly ToolDefinition[];
  /** Summarise once the history holds more messages than this (default 30). */
  threshold?: number;
  /** Fold the summary chain into one when it reaches this length (default 8). */
  maxSummaries?: number;
  logger?: Logger;
}

export interface ExchangeOptions {
  signal?: AbortSignal;
  tools?: readonly ToolDefinition[];
  maxTokens?: number;
  rule?: string;
  /**
   * The user's images are for this exchange only: the saved history keeps a short note in their
   * place (a photo sent from a phone would otherwise sit in SQLite and be re-sent every turn).
   */
  forgetImages?: boolean;
}

/** A user message with its images replaced by a note saying they were shown and not kept. */
export function withoutImages(message: LlmMessage): LlmMessage {
  if (message.role !== 'user' || typeof message.content === 'string' || !message.content.some((p) => p.type === 'image')) return message;
  return { role: 'user', content: message.content.map((p) => (p.type === 'image' ? { type: 'text' as const, text: `[an image (${p.mediaType}) was shown here; not kept]` } : p)) };
}

/**
 * The messages with `context` as a leading text block of the newest user message (the turn's;
 * tool rounds after it keep it, so every call of the turn sends the same prefix).
 */
export function withTurnContext(messages: readonly LlmMessage[], context: string | undefined): readonly LlmMessage[] {
  if (!context?.trim()) return messages;
  let at = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') {
      at = i;
      break;
    }
  }
  const target = messages[at];
  if (!target || target.role !== 'user') return messages;
  const parts = typeof target.content === 'string' ? [{ type: 'text' as const, text: target.content }] : target.content;
  const out = [...messages];
  out[at] = { role: 'user', content: [{ type: 'text', text: context }, ...parts] };
  return out;
}

export class LlmConversation {
  readonly #options: LlmConversationOptions;
  #history: LlmMessage[] = [];
  #chain: Summary[] = [];
  #loaded = false;
  #busy = false;

  constructor(options: LlmConversationOptions) {
    this.#options = options;
  }

  /** Reads the stored conversation, repairing (and re-saving) it if it is damaged. Returns the repairs. */
  load(): string[] {
    const stored = this.#options.store.load(this.#options.id);
    const { messages, repairs } = sanitizeHistory(stored.raw);
    this.#history = messages;
    this.#chain = stored.summaries;
    this.#loaded = true;
    if (repairs.length > 0) {
      this.#options.store.replace(this.#options.id, messages);
      this.#options.logger?.warn({ conversation: this.#options.id, repairs }, 'conversation history repaired on load');
    }
    return repairs;
  }

  messages(): readonly LlmMessage[] {
    this.#ensureLoaded();
    return this.#history;
  }

  summaries(): readonly Summary[] {
    this.#ensureLoaded();
    return this.#chain;
  }

  /** The system prompt with the summary chain appended. */
  systemPrompt(): string | undefined {
    this.#ensureLoaded();
    const { system } = this.#options;
    const base = typeof system === 'function' ? system() : system;
    const parts = [base, summaryContext(this.#chain)].filter((p): p is string => !!p && p.trim() !== '');
    return parts.length ? parts.join('\n\n') : undefined;
  }

  /** One user turn and the model's answer. A tool-call answer waits for `sendToolResults`. */
  async send(content: UserMessage['content'], options: ExchangeOptions = {}): Promise<LlmResult> {
    return this.#exchange([{ role: 'user', content }], options);
  }

  /** The results of the tool calls the model just asked for, and its next answer. */
  async sendToolResults(results: readonly ToolMessage[], options: ExchangeOptions = {}): Promise<LlmResult> {
    return this.#exchange(results, options);
  }

  /**
   * Closes a tool-call answer without another model call: the results, then the reply the user
   * was given (the tool's own answer), so the history stays well formed for the next exchange.
   */
  recordToolResults(results: readonly ToolMessage[], reply: string): void {
    this.#ensureLoaded();
    const added: LlmMessage[] = [...results, ...(reply.trim() ? [{ role: 'assistant' as const, content: reply }] : [])];
    this.#options.store.append(this.#options.id, added);
    this.#history.push(...added);
  }

  /** Like `send`, streaming the answer; the exchange is saved when the stream completes. */
  async *stream(content: UserMessage['content'], options: ExchangeOptions = {}): AsyncGenerator<LlmStreamEvent> {
    const pending: LlmMessage[] = [{ role: 'user', content }];
    this.#enter();
    let result: LlmResult | undefined;
    try {
      for await (const event of this.#options.llm.stream(this.#request(pending, options))) {
        if (event.type === 'done') result = event.result;
        yield event;
      }
    } finally {
      this.#busy = false;
    }
    if (result) await this.#commit(options.forgetImages ? pending.map(withoutImages) : pending, result, options.signal);
  }

  /** Summarises the oldest half when the history is over the threshold. Returns whether it did. */
  async summarizeIfNeeded(signal?: AbortSignal): Promise<boolean> {
    this.#ensureLoaded();
    const threshold = this.#options.threshold ?? DEFAULT_SUMMARY_THRESHOLD;
    if (this.#history.length <= threshold) return false;
    const cut = cutPoint(this.#history);
    if (cut <= 0) return false;
    const old = this.#history.slice(0, cut);
    const keep = this.#history.slice(cut);
    const fold = this.#chain.length >= (this.#options.maxSummaries ?? DEFAULT_MAX_SUMMARIES);
    const result = await this.#options.llm.complete({
      callSite: 'summary',
      agent: this.#options.agent,
      system: SUMMARY_SYSTEM,
      messages: [{ role: 'user', content: summaryRequest(old, fold ? this.#chain : []) }],
      maxTokens: 800,
      ...(signal ? { signal } : {}),
    });
    const text = result.text.trim();
    if (text === '') return false;
    const at = this.#options.store.now();
    const chain = fold
      ? [{ text, covered: this.#chain.reduce((n, s) => n + s.covered, 0) + old.length, at }]
      : [...this.#chain, { text, covered: old.length, at }];
    this.#options.store.replace(this.#options.id, keep, chain);
    this.#history = keep;
    this.#chain = chain;
    return true;
  }

  /** Forgets the conversation, stored copy included. */
  clear(): void {
    this.#options.store.clear(this.#options.id);
    this.#history = [];
    this.#chain = [];
    this.#loaded = true;
  }

  async #exchange(pending: readonly LlmMessage[], options: ExchangeOptions): Promise<LlmResult> {
    this.#enter();
    let result: LlmResult;
    try {
      result = await this.#options.llm.complete(this.#request(pending, options));
    } finally {
      this.#busy = false;
    }
    await this.#commit(pending, result, options.signal);
    return result;
  }

  #request(pending: readonly LlmMessage[], options: ExchangeOptions): LlmRequest {
    const { messages: history } = sanitizeHistory([...this.#history, ...pending]);
    const messages = withTurnContext(history, this.#options.context?.());
    const tools = options.tools ?? this.#options.tools;
    const system = this.systemPrompt();
    return {
      callSite: this.#options.callSite ?? 'conversation',
      agent: this.#options.agent,
      messages,
      ...(system ? { system } : {}),
      ...(this.#options.model ? { model: this.#options.model } : {}),
      ...(tools ? { tools } : {}),
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.rule ? { rule: options.rule } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
  }

  async #commit(pending: readonly LlmMessage[], result: LlmResult, signal: AbortSignal | undefined): Promise<void> {
    const answer: LlmMessage[] =
      result.text.trim() !== '' || result.toolCalls.length > 0
        ? [{ role: 'assistant', content: result.text, ...(result.toolCalls.length ? { toolCalls: result.toolCalls } : {}) }]
        : [];
    const added = [...pending, ...answer];
    this.#options.store.append(this.#options.id, added);
    this.#history.push(...added);
    try {
      await this.summarizeIfNeeded(signal);
    } catch (err) {
      // The exchange itself succeeded; the summary is retried after the next one.
      this.#options.logger?.warn({ err, conversation: this.#options.id }, 'conversation summary failed');
    }
  }

  #enter(): void {
    this.#ensureLoaded();
    if (this.#busy) throw new Error(`Conversation ${this.#options.id} is already in an exchange: its owner must wait for one to finish before the next.`);
    this.#busy = true;
  }

  #ensureLoaded(): void {
    if (!this.#loaded) this.load();
  }
}
