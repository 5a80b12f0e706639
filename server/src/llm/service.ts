// The single door to LLMs for the whole system: the chat, the planner, agents' llm.chat, the
// intent classifier, fact extraction and summaries all call this service. It picks the model
// for the call site, enforces the budget (refusing, or switching to the configured fallback),
// calls the provider through the resilience layer, and writes every call to the ledger; so no
// call path can bypass the cap (the original's cap only covered some of them). Every call holds
// a budget reservation of what it may cost from admission until its ledger row replaces it, or
// until it fails, is cancelled or is abandoned: concurrent calls see each other's spending.
import type { LlmConfig } from '../config/types.ts';
import type { Clock, TimerHandle } from '../core/clock.ts';
import { refusalMessage, type BudgetListener, type LlmBudget } from './budget.ts';
import { LlmError } from './errors.ts';
import { estimateCostUsd } from './estimate.ts';
import type { LedgerEntry, LlmLedger } from './ledger.ts';
import type { LlmMessage, ToolCall, ToolDefinition } from './messages.ts';
import { explicitModelRef, fallbackModel, modelFor, type CallSite, type ModelRef } from './models.ts';
import { costOf, priceFor, type Price } from './pricing.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { Reservation } from './reservations.ts';
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
  /**
   * How long a stream may wait for its reader to ask for the next event before it counts as
   * abandoned (default: as long as a provider may stay silent, 120 s).
   */
  streamReaderIdleMs?: number;
  onListenerError?: (err: unknown) => void;
}

export const STREAM_READER_IDLE_MS = 120_000;

interface Admission {
  route: Route;
  reservation: Reservation;
}

export class LlmService {
  readonly ledger: LlmLedger;
  readonly budget: LlmBudget;
  readonly #options: LlmServiceOptions;
  readonly #callListeners = new Set<CallListener>();

  constructor(options: LlmServiceOptions) {
    this.#options = options;
    this.ledger = options.ledger;
    this.budget = options.budget;
  }

  /** The model a call site uses when the budget allows (undefined: no provider configured). */
  modelFor(callSite: CallSite): ModelRef | undefined {
    return modelFor(this.#options.config, callSite);
  }

  /** Where a request would go right now, budget included; throws the refusal when there is none. */
  route(request: Pick<LlmRequest, 'callSite' | 'model'>): Route {
    const wanted = this.#wanted(request);
    const exceeded = this.budget.status().exceeded;
    if (!exceeded || isFree(priceFor(wanted.provider, wanted.model))) return { ...wanted, fallback: false };
    const fallback = fallbackModel(this.#options.config);
    if (!fallback) throw new LlmError(refusalMessage(exceeded), { kind: 'budget' });
    return { ...fallback, fallback: true };
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    const { route, reservation } = this.#admit(request);
    try {
      const provider = this.#options.providers.get(route.provider);
      const r = await provider.complete(request.messages, request.system, this.#callOptions(request, route, request.signal));
      return this.#settle(request, route, r, reservation);
    } finally {
      reservation.release();
    }
  }

  /**
   * Streams the answer; the call is recorded when the provider's final usage arrives. A consumer
   * that stops early cancels the request, and the partial call (its usage unknown) is not recorded.
   * A consumer that stops asking without closing the stream (an iterator dropped half-read) never
   * reaches a `finally`: after `streamReaderIdleMs` of that, the request is cancelled and the
   * reservation released, and a late reader gets an `aborted` error.
   */
  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const { route, reservation } = this.#admit(request);
    const abandon = new AbortController();
    const idleMs = this.#options.streamReaderIdleMs ?? STREAM_READER_IDLE_MS;
    let idle: TimerHandle | undefined;
    const handOver = async function* (event: LlmStreamEvent, clock: Clock): AsyncGenerator<LlmStreamEvent> {
      idle = clock.setTimeout(() => {
        reservation.release();
        abandon.abort(new LlmError(`The LLM stream was not read for ${idleMs / 1000} s and was cancelled.`, { kind: 'aborted', provider: route.provider }));
      }, idleMs);
      yield event;
      idle.cancel();
      if (abandon.signal.aborted) throw abandon.signal.reason as Error;
    };
    try {
      const provider = this.#options.providers.get(route.provider);
      const signal = request.signal ? AbortSignal.any([request.signal, abandon.signal]) : abandon.signal;
      let text = '';
      const toolCalls: ToolCall[] = [];
      for await (const delta of provider.stream(request.messages, request.system, this.#callOptions(request, route, signal))) {
        switch (delta.type) {
          case 'text':
            text += delta.text;
            yield* handOver(delta, this.#options.clock);
            break;
          case 'tool_call':
            toolCalls.push(delta.call);
            yield* handOver(delta, this.#options.clock);
            break;
          case 'done':
            // Settled (reservation released, ledger row written) before the reader sees it.
            yield { type: 'done', result: this.#settle(request, route, { text, toolCalls, usage: delta.usage, model: delta.model, stopReason: delta.stopReason }, reservation) };
            break;
        }
      }
      if (abandon.signal.aborted) throw abandon.signal.reason as Error;
    } finally {
      idle?.cancel();
      reservation.release();
    }
  }

  /** One-shot text for a single prompt (what agents' `llm.chat(prompt)` calls). */
  async chat(prompt: string, request: Omit<LlmRequest, 'messages'>): Promise<string> {
    return (await this.complete({ ...request, messages: [{ role: 'user', content: prompt }] })).text;
  }

  /** Every recorded call, as it is recorded (metrics, the panel's cost meter). */
  onCall(listener: CallListener): () => void {
    this.#callListeners.add(listener);
    return () => void this.#callListeners.delete(listener);
  }

  onBudget(listener: BudgetListener): () => void {
    return this.budget.onEvent(listener);
  }

  /** The model the request asks for, budget aside. */
  #wanted(request: Pick<LlmRequest, 'callSite' | 'model'>): ModelRef {
    const { config } = this.#options;
    const wanted = request.model
      ? (explicitModelRef(request.model) ?? (config.provider === 'none' ? undefined : { provider: config.provider, model: request.model }))
      : modelFor(config, request.callSite);
    if (!wanted) {
      throw new LlmError('No LLM provider is configured: set LLM_PROVIDER and the API key of that provider (or an Ollama host).', { kind: 'not_configured' });
    }
    return wanted;
  }

  /**
   * Routes the request and reserves what it may cost, in one synchronous step so no other call
   * can be admitted between the check and the reservation. An unpriced model reserves nothing:
   * its calls are recorded at a null cost that no cap counts, so a guessed price would hold back
   * other calls for spending the budget never sees (price it in pricing.ts to bring it under
   * the caps). Once a cap is spent it is refused like any call that is not free.
   */
  #admit(request: LlmRequest): Admission {
    const wanted = this.#wanted(request);
    const price = priceFor(wanted.provider, wanted.model);
    if (isFree(price)) return { route: { ...wanted, fallback: false }, reservation: this.budget.reserve(0) };
    const estimate = estimateCostUsd(request, price) ?? 0;
    const refusal = this.budget.refusal(estimate);
    if (!refusal) return { route: { ...wanted, fallback: false }, reservation: this.budget.reserve(estimate) };
    const fallback = fallbackModel(this.#options.config);
    if (!fallback) throw new LlmError(refusal.message, { kind: 'budget' });
    // The fallback answers whatever the budget says (that is its purpose); it still holds its
    // estimate, so the calls it runs beside see it.
    return { route: { ...fallback, fallback: true }, reservation: this.budget.reserve(estimateCostUsd(request, priceFor(fallback.provider, fallback.model)) ?? 0) };
  }

  #callOptions(request: LlmRequest, route: Route, signal: AbortSignal | undefined): ProviderCallOptions {
    return {
      model: route.model,
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(signal ? { signal } : {}),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    };
  }

  #settle(
    request: LlmRequest,
    route: Route,
    r: { text: string; toolCalls: ToolCall[]; usage: Usage; model: string; stopReason: StopReason },
    reservation: Reservation,
  ): LlmResult {
    const model = r.model || route.model;
    // The answering model's own name is the billing truth (a dated id may price differently);
    // the requested one covers gateways that answer with names we do not know.
    const price = priceFor(route.provider, model) ?? priceFor(route.provider, route.model);
    const costUsd = costOf(r.usage, price);
    const entry: LedgerEntry = {
      at: this.#options.clock.now(),
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
    // The ledger row now counts what the reservation held; both in one turn, so never neither.
    reservation.release();
    this.budget.check();
    for (const listener of [...this.#callListeners]) {
      try {
        listener(entry);
      } catch (err) {
        this.#options.onListenerError?.(err);
      }
    }
    return { text: r.text, toolCalls: r.toolCalls, usage: r.usage, stopReason: r.stopReason, provider: route.provider, model, costUsd, fallback: route.fallback };
  }
}

/** Calls that cost nothing (local Ollama, free tiers) never spend the budget, so they are not refused. */
function isFree(price: Price | undefined): boolean {
  return price !== undefined && price.input === 0 && price.output === 0;
}
