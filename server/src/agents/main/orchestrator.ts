// THE entry point of every interface: `process(text, context)` streams one chat turn. Around the
// router it does what every turn needs: one turn at a time per conversation (any number of
// conversations at once), webhook URLs taken out of the text before anything stores or sends it,
// monitor notices prepended, the transcript written, facts extracted in the background, and
// exactly one `done` whose reply is the concatenation of the deltas.
import { randomBytes } from 'node:crypto';
import type { Bus } from '../../bus/bus.ts';
import type { TopicRegistry } from '../../bus/topic-bus/registry.ts';
import type { Clock } from '../../core/clock.ts';
import type { ActorSystem } from '../../core/system.ts';
import type { HaClient } from '../../ha/client.ts';
import type { Logger } from '../../logger.ts';
import { ConversationStore, type LlmService } from '../../llm/index.ts';
import type { Db } from '../../store/database.ts';
import type { AgentSpawner } from '../spawner/agent-spawner.ts';
import { AgentGateway } from './agents/agent-gateway.ts';
import { defaultCommands } from './commands/index.ts';
import type { CommandDeps, CommandRegistry } from './commands/registry.ts';
import { MainConversations } from './conversation/main-conversation.ts';
import { mainSystemPrompt, type PromptAgent } from './conversation/system-prompt.ts';
import { EventChannel } from './event-channel.ts';
import type { Awaiting } from '../../contract/chat.ts';
import type { ChatEvent, RouteEvent, RouteKind } from './events.ts';
import type { IntentHandlers } from './intents.ts';
import { ChatHistory, type HistoryMessage } from './memory/chat-history.ts';
import { FactsExtractor, mayStateFact } from './memory/facts-extractor.ts';
import { GrantQuestions } from './grant-questions.ts';
import { FactsStore } from './memory/facts-store.ts';
import { WebhookStore } from './memory/webhook-store.ts';
import type { WebhookStats } from '../../interfaces/webhooks/sender.ts';
import { findWebhooks, maskUrlsIn, maskWebhook, maskWebhooksIn } from './memory/webhook-urls.ts';
import { noticeBlock, type NotificationQueue } from './notification-queue.ts';
import type { MemoryService, PlansService, RulesService } from '../../contract/services.ts';
import { createMemoryService, type MemoryChanges } from '../../services/memory.ts';
import type { Catalog, NodesSource } from './parts.ts';
import { routeMessage, type Routed } from './router.ts';
import { parseInput } from './routing/parse-input.ts';
import { SerialQueue } from './serial-queue.ts';
import { isRestricted } from './trust.ts';
import { conversationKey, userKey, type TurnContext } from './turn-context.ts';

/**
 * Everything a turn may reach, built before the orchestrator (runtime.ts composes it whole, once
 * the planner, the HA agents, the spawner and the nodes exist): no late plugging, no stand-ins.
 */
export interface OrchestratorDeps {
  db: Db;
  clock: Clock;
  llm: LlmService;
  system: ActorSystem;
  /** Absent when the process has no broker (tests): remote agents are then unreachable. */
  bus: Bus | undefined;
  /** Absent when Home Assistant is not configured (tests): HA-bound requests say so. */
  ha: HaClient | undefined;
  /** Absent only in a process without an agent runtime (tests): spawning then says so. */
  spawner: AgentSpawner | undefined;
  catalog: Catalog;
  topics: TopicRegistry | undefined;
  nodes: NodesSource;
  rules: RulesService;
  plans: PlansService;
  intents: IntentHandlers;
  /** Where the monitor's notices wait for the next answer (the monitor starts before the orchestrator). */
  notifications: NotificationQueue;
  /** The budget fallback model (`provider:model`), shown by /budget. */
  fallbackModel?: string;
  logger?: Logger;
  classifierTimeoutMs?: number;
  /** Plain text in one call with the home tools ('tools', where the provider takes tools) or classifier then handler (default). */
  routing?: 'tools' | 'classifier';
  agentTimeoutMs?: number;
  /** Extract user facts after exchanges (default true). */
  extractFacts?: boolean;
  /** Told when facts are forgotten (runtime.ts: the panel's live events). */
  memoryChanges?: MemoryChanges;
  /** The webhook sender's counts per webhook, for /webhook (absent: none shown). */
  webhookStats?: (name: string) => WebhookStats | undefined;
}

export class Orchestrator {
  readonly notifications: NotificationQueue;
  readonly facts: FactsStore;
  /** The facts as the API serves them; /memory forgets through it too. */
  readonly memory: MemoryService;
  readonly webhooks: WebhookStore;
  readonly history: ChatHistory;
  readonly conversations: MainConversations;
  readonly commands: CommandRegistry;
  readonly #deps: OrchestratorDeps;
  readonly #extractor: FactsExtractor;
  readonly #gateway: AgentGateway;
  readonly #queue = new SerialQueue();
  readonly #sticky = new Map<string, string>();
  readonly #commandDeps: CommandDeps;
  /** The intents with main's own question (an agent grant) asked first: it is the newest when open. */
  readonly #intents: IntentHandlers;
  #stopping = new AbortController();

  constructor(deps: OrchestratorDeps) {
    this.#deps = deps;
    const { db, clock, llm } = deps;
    this.notifications = deps.notifications;
    this.facts = new FactsStore(db, clock);
    this.memory = createMemoryService(this.facts, deps.memoryChanges);
    this.webhooks = new WebhookStore(db, clock);
    this.history = new ChatHistory(db, clock);
    this.#extractor = new FactsExtractor({ llm, store: this.facts, ...(deps.logger ? { logger: deps.logger } : {}) });
    this.#gateway = new AgentGateway({
      system: deps.system,
      bus: deps.bus,
      clock,
      spawner: deps.spawner,
      catalog: deps.catalog,
      nodes: deps.nodes,
      ...(deps.agentTimeoutMs !== undefined ? { timeoutMs: deps.agentTimeoutMs } : {}),
    });
    this.conversations = new MainConversations({
      llm,
      store: new ConversationStore(db, clock),
      systemPrompt: (restricted, oneCall) => this.systemPrompt(restricted, oneCall),
      blocks: { spawner: deps.spawner, gateway: this.#gateway },
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
    this.commands = defaultCommands();
    const grantQuestions = new GrantQuestions(clock, () => deps.spawner);
    this.#intents = { ...deps.intents, followUps: [grantQuestions.followUp, ...deps.intents.followUps], questions: [grantQuestions.question, ...(deps.intents.questions ?? [])] };
    this.#commandDeps = {
      system: deps.system,
      llm,
      fallbackModel: deps.fallbackModel,
      spawner: deps.spawner,
      rules: deps.rules,
      plans: deps.plans,
      nodes: deps.nodes,
      topics: deps.topics,
      facts: this.facts,
      memory: this.memory,
      webhooks: this.webhooks,
      webhookStats: deps.webhookStats ?? (() => undefined),
      conversations: this.conversations,
      grantQuestions,
      commands: () => this.commands.list(),
    };
  }

  /** True when an LLM provider is configured (the classifier and main's conversation can run). */
  get llmReady(): boolean {
    return this.#deps.llm.modelFor('conversation') !== undefined;
  }

  /**
   * Main's system prompt as the next exchange will see it. A restricted turn's prompt has no
   * remembered facts (memory is the owner's) and says that spawning and deleting are refused.
   */
  systemPrompt(restricted = false, oneCall = false): string {
    return mainSystemPrompt({
      oneCall,
      agents: () => this.#promptAgents(),
      facts: () => (restricted ? [] : this.facts.list()),
      webhooks: () => this.webhooks.services(),
      ...(this.#deps.bus?.externalReads ? { externalReads: this.#deps.bus.externalReads } : {}),
      restricted,
    });
  }

  /** One chat turn: streams events and ends with exactly one `done`. */
  async *process(text: string, ctx: TurnContext): AsyncGenerator<ChatEvent> {
    const turnId = randomBytes(8).toString('base64url');
    const key = conversationKey(ctx);
    const channel = new EventChannel<ChatEvent>();
    const abort = new AbortController();
    const onAbort = () => abort.abort(new Error('the chat turn was cancelled'));
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    this.#stopping.signal.addEventListener('abort', onAbort, { once: true });
    channel.push({ type: 'start', turnId, conversationId: ctx.conversationId });
    this.#queue.run(key, () => this.#turn(text, ctx, turnId, key, abort.signal, channel)).then(
      () => channel.close(),
      (err: unknown) => channel.fail(err),
    );
    try {
      for await (const event of channel) yield event;
    } finally {
      // The reader left early (client gone, `break`): stop the turn's LLM and HA calls too.
      if (!channel.closed) abort.abort(new Error('the reader left'));
      ctx.signal?.removeEventListener('abort', onAbort);
      this.#stopping.signal.removeEventListener('abort', onAbort);
    }
  }

  /** Collects a whole turn (for callers that do not stream: agents, Assist, tests). */
  async ask(text: string, ctx: TurnContext): Promise<{ reply: string; agent: string; route: RouteKind; events: ChatEvent[] }> {
    const events: ChatEvent[] = [];
    for await (const e of this.process(text, ctx)) events.push(e);
    const done = events.find((e) => e.type === 'done');
    if (!done) throw new Error('the chat turn ended without an answer');
    return { reply: done.reply, agent: done.agent, route: done.route, events };
  }

  /** Resolves once background work (fact extraction) has finished. */
  async idle(): Promise<void> {
    await this.#extractor.idle();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#extractor.stop();
    this.#stopping = new AbortController();
  }

  async #turn(text: string, ctx: TurnContext, turnId: string, key: string, signal: AbortSignal, channel: EventChannel<ChatEvent>): Promise<void> {
    // The asker left while this turn waited behind an earlier one of the same conversation.
    if (signal.aborted) return;
    let reply = '';
    const activities: string[] = [];
    const emit = (e: RouteEvent) => {
      if (e.type === 'delta') {
        if (e.text === '') return;
        reply += e.text;
      } else if (e.type === 'spawn' || e.type === 'delete' || e.type === 'delegate' || e.type === 'tool') {
        activities.push(e.text);
      }
      channel.push(e);
    };

    const restricted = isRestricted(ctx);
    // Only the owner saves webhooks: one from the broker could redirect the owner's notifications.
    const masked = restricted ? maskSecrets(text) : this.#captureWebhooks(text, emit);

    if (!restricted) {
      const { notices, dropped } = this.notifications.drain();
      for (const n of notices) emit({ type: 'notification', level: n.level, agent: n.agent, text: n.message });
      emit({ type: 'delta', text: noticeBlock(notices, dropped) });
    }

    let routed: Routed;
    try {
      routed = await routeMessage(
        { text: masked, raw: text, turn: ctx, key, signal, emit },
        {
          clock: this.#deps.clock,
          llm: this.#deps.llm,
          llmReady: () => this.llmReady,
          ha: this.#deps.ha,
          intents: this.#intents,
          commands: this.commands,
          commandDeps: this.#commandDeps,
          conversations: this.conversations,
          gateway: this.#gateway,
          sticky: this.#sticky,
          ...(this.#deps.classifierTimeoutMs !== undefined ? { classifierTimeoutMs: this.#deps.classifierTimeoutMs } : {}),
          ...(this.#deps.routing ? { routing: this.#deps.routing } : {}),
        },
      );
    } catch (err) {
      this.#deps.logger?.error({ err, conversation: ctx.conversationId }, 'chat turn failed');
      emit({ type: 'delta', text: `${reply ? '\n\n' : ''}⚠️ Something went wrong: ${err instanceof Error ? err.message : String(err)}` });
      routed = { route: 'other', agent: 'main', natural: false };
    }
    if (reply === '') emit({ type: 'delta', text: '(no answer)' });

    const messages: Omit<HistoryMessage, 'at'>[] = [
      { role: 'user', text: masked, agent: null },
      // A line the answer already carries (an agent's result streamed as the answer) would read twice.
      ...activities.filter((a) => !reply.includes(a.trim())).map((a) => ({ role: 'activity' as const, text: maskWebhooksIn(a), agent: null })),
      { role: 'assistant', text: reply, agent: routed.agent },
    ];
    try {
      this.history.append(userKey(ctx.user), ctx.conversationId, ctx.channel, messages);
    } catch (err) {
      this.#deps.logger?.error({ err }, 'chat history could not be saved');
    }
    // Memory is the owner's: what an agent or a broker client says is never remembered as a fact.
    // And only a message that plausibly states something is worth the extraction call.
    if (routed.natural && !restricted && mayStateFact(masked) && this.llmReady && this.#deps.extractFacts !== false && !signal.aborted) {
      this.#extractor.schedule({ user: masked, assistant: reply, userId: ctx.user.id, conversationId: ctx.conversationId, at: this.#deps.clock.now() });
    }
    // What the answer asked, so voice keeps listening and chat apps offer buttons.
    const awaiting = restricted ? undefined : this.#awaiting(ctx);
    channel.push({ type: 'done', turnId, conversationId: ctx.conversationId, reply, agent: routed.agent, route: routed.route, ...(awaiting ? { awaiting } : {}) });
  }

  #awaiting(ctx: TurnContext): Awaiting | undefined {
    for (const check of this.#intents.questions ?? []) {
      try {
        const a = check(ctx);
        if (a) return a;
      } catch (err) {
        this.#deps.logger?.warn({ err }, 'open-question check failed');
      }
    }
    return undefined;
  }

  /** Saves webhook URLs found in the message and returns the text with them masked. */
  #captureWebhooks(text: string, emit: (e: RouteEvent) => void): string {
    // /webhook saves (and checks) its own argument.
    if (isWebhookCommand(text)) return maskUrlsIn(text);
    const found = findWebhooks(text);
    if (found.length === 0) return text;
    const saved = found.filter((w) => this.webhooks.save(w.service, w.url, 'chat'));
    if (saved.length) {
      const list = saved.map((w) => `${w.service} (${maskWebhook(w.url)})`).join(', ');
      emit({ type: 'delta', text: `🔒 Saved your ${list} webhook${saved.length === 1 ? '' : 's'} as a secret; it will only be shown masked.\n\n` });
    }
    return maskWebhooksIn(text);
  }

  #promptAgents(): PromptAgent[] {
    const out = new Map<string, PromptAgent>();
    for (const a of this.#deps.system.list()) {
      if (a.state === 'stopped' || a.state === 'failed') continue;
      out.set(a.name, { name: a.name, type: a.kind, state: a.state });
    }
    for (const s of this.#deps.spawner?.list() ?? []) {
      const existing = out.get(s.name);
      out.set(s.name, { ...existing, name: s.name, type: s.type, ...(s.node ? { node: s.node } : {}), ...(s.description ? { description: s.description } : {}) });
    }
    return [...out.values()];
  }
}

function isWebhookCommand(text: string): boolean {
  const parsed = parseInput(text);
  return parsed.kind === 'slash' && (parsed.command === 'webhook' || parsed.command === 'webhooks');
}

/** What a turn's text may show: known webhook URLs masked, and in a /webhook command every URL. */
function maskSecrets(text: string): string {
  return isWebhookCommand(text) ? maskUrlsIn(text) : maskWebhooksIn(text);
}
