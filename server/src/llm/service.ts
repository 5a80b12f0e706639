// The single door to LLMs for the whole system: the chat, the planner, agents' llm.chat, the
// intent classifier, fact extraction and summaries all call this service. It picks the model
// for the call site, enforces the budget (refusing, or switching to the configured fallback),
// calls the provider through the resilience layer, and writes every call to the ledger; so no
// call path can bypass the cap (the original's cap only covered some of them).
import type { LlmConfig } from '../config/types.ts';
import type { Clock } from '../core/clock.ts';
import { refusalMessage, type BudgetListener, type LlmBudget } from './budget.ts';
import { LlmError } from './errors.ts';
import type { LedgerEntry, LlmLedger } from './ledger.ts';
import type { LlmMessage, ToolCall, ToolDefinition } from './messages.ts';
import { explicitModelRef, fallbackModel, modelFor, type CallSite, type ModelRef } from './models.ts';
import { costOf, priceFor } from './pricing.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { ProviderCallOptions, ProviderName, StopReason, Usage } from './types.ts';

export interface LlmRequest {
  callSite: CallSite;
  messages: readonly LlmMessage[];
  system?: string;
  /** Who is calling, for the ledger (an agent name; default "system"). */
  agent?: string;
  /** The rule this call serves, for the ledger. */
  rule?: string;
  /** Overrides the call site's model: `provider:model`, or a model of the main provider. */
  model?: string;
  tools?: readonly ToolDefinition[];
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface LlmResult {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  stopReason: StopReason;
  provider: ProviderName;
  /** The model that answered, as the provider named it. */
  model: string;
  /** null when the model has no price in the table (reported as unpriced, not as free). */
  costUsd: number | null;
  /** The budget was spent and the fallback model answered instead. */
  fallback: boolean;
}

export type LlmStreamEvent = { type: 'text'; text: string } | { type: 'tool_call'; call: ToolCall } | { type: 'done'; result: LlmResult };

export interface Route extends ModelRef {
  fallback: boolean;
}

export type CallListener = (entry: LedgerEntry) => void;

export interface LlmServiceOptions {
  config: LlmConfig;
  providers: ProviderRegistry;
  ledger: LlmLedger;
  budget: LlmBudget;
  clock: Clock;
  onListenerError?: (err: unknown) => void;
}

export class LlmService {
  readonly ledger: LlmLedger;
  readonly budget: LlmBudget;
  private readonly options: LlmServiceOptions;
  private readonly callListeners = new Set<CallListener>();

  constructor(options: LlmServiceOptions) {
    this.options = options;
    this.ledger = options.ledger;
    this.budget = options.budget;
  }

  /** The model a call site uses when the budget allows (undefined: no provider configured). */
  modelFor(callSite: CallSite): ModelRef | undefined {
    return modelFor(this.options.config, callSite);
  }

  /** Where a request would go right now, budget included; throws the refusal when there is none. */
  route(request: Pick<LlmRequest, 'callSite' | 'model'>): Route {
    const { config } = this.options;
    const wanted = request.model
      ? (explicitModelRef(request.model) ?? (config.provider === 'none' ? undefined : { provider: config.provider, model: request.model }))
      : modelFor(config, request.callSite);
    if (!wanted) {
      throw new LlmError('No LLM provider is configured: set LLM_PROVIDER and the API key of that provider (or an Ollama host).', { kind: 'not_configured' });
    }
    const exceeded = this.budget.status().exceeded;
    if (!exceeded || isFree(wanted)) return { ...wanted, fallback: false };
    const fallback = fallbackModel(config);
    if (!fallback) throw new LlmError(refusalMessage(exceeded), { kind: 'budget' });
    return { ...fallback, fallback: true };
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    const route = this.route(request);
    const provider = this.options.providers.get(route.provider);
    const r = await provider.complete(request.messages, request.system, this.callOptions(request, route));
    return this.settle(request, route, r);
  }

  /**
   * Streams the answer; the call is recorded when the provider's final usage arrives. A consumer
   * that stops early cancels the request, and the partial call (its usage unknown) is not recorded.
   */
  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const route = this.route(request);
    const provider = this.options.providers.get(route.provider);
    let text = '';
    const toolCalls: ToolCall[] = [];
    for await (const delta of provider.stream(request.messages, request.system, this.callOptions(request, route))) {
      switch (delta.type) {
        case 'text':
          text += delta.text;
          yield delta;
          break;
        case 'tool_call':
          toolCalls.push(delta.call);
          yield delta;
          break;
        case 'done':
          yield { type: 'done', result: this.settle(request, route, { text, toolCalls, usage: delta.usage, model: delta.model, stopReason: delta.stopReason }) };
          break;
      }
    }
  }

  /** One-shot text for a single prompt (what agents' `llm.chat(prompt)` calls). */
  async chat(prompt: string, request: Omit<LlmRequest, 'messages'>): Promise<string> {
    return (await this.complete({ ...request, messages: [{ role: 'user', content: prompt }] })).text;
  }

  /** Every recorded call, as it is recorded (metrics, the panel's cost meter). */
  onCall(listener: CallListener): () => void {
    this.callListeners.add(listener);
    return () => void this.callListeners.delete(listener);
  }

  onBudget(listener: BudgetListener): () => void {
    return this.budget.onEvent(listener);
  }

  private callOptions(request: LlmRequest, route: Route): ProviderCallOptions {
    return {
      model: route.model,
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    };
  }

  private settle(request: LlmRequest, route: Route, r: { text: string; toolCalls: ToolCall[]; usage: Usage; model: string; stopReason: StopReason }): LlmResult {
    const model = r.model || route.model;
    // The answering model's own name is the billing truth (a dated id may price differently);
    // the requested one covers gateways that answer with names we do not know.
    const price = priceFor(route.provider, model) ?? priceFor(route.provider, route.model);
    const costUsd = costOf(r.usage, price);
    const entry: LedgerEntry = {
      at: this.options.clock.now(),
      agent: request.agent ?? 'system',
      rule: request.rule,
      callSite: request.callSite,
      provider: route.provider,
      model,
      usage: r.usage,
      costUsd,
      fallback: route.fallback,
    };
    this.ledger.record(entry);
    this.budget.check();
    for (const listener of [...this.callListeners]) {
      try {
        listener(entry);
      } catch (err) {
        this.options.onListenerError?.(err);
      }
    }
    return { text: r.text, toolCalls: r.toolCalls, usage: r.usage, stopReason: r.stopReason, provider: route.provider, model, costUsd, fallback: route.fallback };
  }
}

/** Calls that cost nothing (local Ollama, free tiers) never spend the budget, so they are not refused. */
function isFree(ref: ModelRef): boolean {
  const price = priceFor(ref.provider, ref.model);
  return price !== undefined && price.input === 0 && price.output === 0;
}
